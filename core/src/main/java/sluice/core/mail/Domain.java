package sluice.core.mail;

import com.ibm.icu.text.IDNA;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A DNS domain name in canonical form: lower case, A-labels (punycode) for international names, no
 * trailing dot. Address literals ({@code [192.0.2.1]}) are not domains; {@link Address} keeps them apart.
 *
 * <p>A label with a character outside ASCII is read as today's resolvers, browsers and mail clients read it: UTS #46
 * processing, non-transitional (IDNA2008), by ICU; the ASCII labels of such a name stand as in an all-ASCII name, so
 * both spellings of a name give the same domain ({@code xn--abc.bücher.example} is xn--abc.xn--bcher-kva.example). So ß and final sigma are letters of their own ({@code straße.example}
 * is xn--strae-oqa.example, not the strasse.example of IDNA2003, which may belong to someone else); such a name with a
 * character UTS #46 disallows ({@code bank⒈example}), an empty label ({@code .ß.example}), a label that starts
 * or ends with a hyphen or starts with a combining mark, a joiner out of its context (RFC 5892 CONTEXTJ), a
 * character out of its context (CONTEXTO, as registries check), a right-to-left label that breaks the Bidi rule
 * (RFC 5893; each Unicode label by itself, since the ASCII spelling of the name is looked up unchanged), or an A-label that is no valid punycode is refused. A name all in ASCII is a DNS name as it stands:
 * resolvers look it up unchanged, so it is only lower-cased and checked for letters, digits, hyphens (not at either
 * end of a label: RFC 5321's syntax, though DNS allows {@code mail-.bank.example}, whose mail DMARC passes when it is
 * aligned), underscores and lengths; its A-labels are not decoded ({@code xn--abc.bank.example} is a
 * subdomain of bank.example, as DNS and DMARC see it). The STD3 rules are not used: DNS names such as
 * {@code _dmarc.example.org} carry underscores; the canonical name may hold letters, digits, hyphens and
 * underscores only. Like browsers, a label with hyphens in its third and fourth place ({@code r3---sn}) is taken.
 * A trailing dot (the root) is dropped after the mapping, so {@code localhost。} is localhost.
 * Every failure is an {@link IllegalArgumentException}.
 */
public record Domain(String name) {

    /**
     * The longest text read as a name: a name is at most 253 octets in DNS, and the mapping seldom shortens text;
     * longer input is refused before it is mapped.
     */
    private static final int MAX_INPUT = 1024;

    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.CHECK_BIDI
            | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO);

    /** Errors of UTS #46 that do not make a name unusable here (see {@link #toAscii}). */
    private static final Set<IDNA.Error> TOLERATED = EnumSet.of(IDNA.Error.HYPHEN_3_4);

    /** What a canonical name consists of (compiled once: every address and look-up makes a Domain). */
    private static final Pattern NAME_CHARACTERS = Pattern.compile("[a-z0-9_.-]+");
    /** The dots UTS #46 maps to a full stop. */
    private static final Pattern FULL_STOPS = Pattern.compile("[.\u3002\uFF0E\uFF61]");

    public Domain {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty domain");
        if (name.length() > MAX_INPUT) throw new IllegalArgumentException("invalid domain: longer than any domain name");
        String given = name;
        // the trailing dot (the root) is dropped once the name is mapped: "localhost\u3002" ends in a dot only then
        String ascii = (ascii(name) ? name : toAscii(name)).toLowerCase(Locale.ROOT);
        if (ascii.endsWith(".")) ascii = ascii.substring(0, ascii.length() - 1);
        if (ascii.length() > 253 || ascii.isEmpty() || ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")
                || !NAME_CHARACTERS.matcher(ascii).matches() || ascii.startsWith("-") || ascii.endsWith("-") || ascii.contains(".-")
                || ascii.contains("-.") || longLabel(ascii))
            throw new IllegalArgumentException("invalid domain: " + given);
        name = ascii;
    }

    public static Domain of(String name) {
        return new Domain(name);
    }

    /**
     * Whether the name is all ASCII: then it is a DNS name as it stands, which resolvers look up unchanged and no
     * reader shows as another, so only the checks of the constructor apply (letters, digits, hyphens, underscores,
     * lengths), case aside. An A-label in it is not decoded: {@code xn--abc.bank.example}, which is no valid punycode,
     * is a subdomain of bank.example to DNS and to DMARC, and an SPF macro or an MX record may well name one.
     */
    private static boolean ascii(String name) {
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) >= 128) return false;
        return true;
    }

    /** Whether a label is longer than DNS allows (RFC 1035 section 2.3.4: 63 octets). */
    private static boolean longLabel(String ascii) {
        int start = 0;
        for (int dot; (dot = ascii.indexOf('.', start)) >= 0; start = dot + 1) if (dot - start > 63) return true;
        return ascii.length() - start > 63;
    }

    /**
     * The name of a text with a character outside ASCII, label by label: a label all in ASCII stands as on the ASCII
     * path (so {@code xn--abc.bücher.example} is {@code xn--abc.xn--bcher-kva.example}, as that spelling is), any
     * other is mapped by UTS #46 ToASCII. The labels are split at the dots UTS #46 maps to a full stop; a label mapped
     * to a dot is refused. A last label mapped to nothing ({@code example.}+U+00AD) is the root, as the whole name's
     * mapping would have it. The Bidi rule thus checks each Unicode label by itself: an ASCII label beside a
     * right-to-left one is not refused, as DNS looks up the ASCII spelling of that name unchanged.
     */
    private static String toAscii(String name) {
        String[] labels = FULL_STOPS.split(name, -1);
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            String mapped = ascii(label) ? label : labelToAscii(label, name, i == labels.length - 1 && i > 0);
            if (i > 0) out.append('.');
            out.append(mapped);
        }
        return out.toString();
    }

    /** One label with a character outside ASCII as UTS #46 ToASCII gives it; {@code last}: may map to nothing (the root). */
    private static String labelToAscii(String label, String name, boolean last) {
        StringBuilder out = new StringBuilder(label.length());
        IDNA.Info info = new IDNA.Info();
        try {
            UTS46.labelToASCII(label, out, info);
        } catch (RuntimeException e) { // ICU refuses a label of more than 1000 characters after mapping so, not as an error
            throw new IllegalArgumentException("invalid domain: " + name, e);
        }
        Set<IDNA.Error> errors = EnumSet.noneOf(IDNA.Error.class);
        errors.addAll(info.getErrors());
        errors.removeAll(TOLERATED);
        if (last && out.isEmpty()) errors.remove(IDNA.Error.EMPTY_LABEL);
        if (!errors.isEmpty()) throw new IllegalArgumentException("invalid domain: " + name);
        return out.toString();
    }

    /**
     * The longest run of labels at the end of {@code text} that is a domain name by itself, or null: what a loose
     * reader takes of a name that is none. {@code ceo.⒈x.bank.example} (U+2488 is disallowed) gives bank.example,
     * {@code -x.bank.example} gives bank.example, {@code bank.example.} bank.example, {@code a..} null. Never throws.
     */
    public static Domain readableEnd(String text) {
        if (text == null) return null;
        // a name has at most 127 labels and MAX_INPUT characters: only the end of a longer text is read
        String end = text.length() > MAX_INPUT + 2 ? text.substring(text.length() - MAX_INPUT - 2) : text; // a cut label is too long to count
        String[] labels = FULL_STOPS.split(end, -1);
        int last = labels.length - 1;
        if (last > 0 && labels[last].isEmpty()) last--; // the root
        Domain found = null;
        String name = "";
        for (int i = last; i >= 0 && i > last - 127; i--) {
            name = name.isEmpty() ? labels[i] : labels[i] + "." + name;
            if (name.length() > MAX_INPUT) break;
            try {
                found = new Domain(name);
            } catch (IllegalArgumentException e) {
                break;
            }
        }
        return found;
    }

    /** True when this domain equals {@code other} or is a subdomain of it. */
    public boolean isWithin(Domain other) {
        return name.equals(other.name) || name.endsWith("." + other.name);
    }

    /** The parent domain, or null for a single label. */
    public Domain parent() {
        int dot = name.indexOf('.');
        return dot < 0 ? null : new Domain(name.substring(dot + 1));
    }

    @Override
    public String toString() {
        return name;
    }
}

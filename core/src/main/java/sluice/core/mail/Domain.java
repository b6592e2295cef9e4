package sluice.core.mail;

import com.ibm.icu.text.IDNA;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A DNS domain name in canonical form: lower case, A-labels (punycode) for international names, no
 * trailing dot. Address literals ({@code [192.0.2.1]}) are not domains; {@link Address} keeps them apart.
 *
 * <p>Every name is read as today's resolvers, browsers and mail clients read it: UTS #46 processing,
 * non-transitional (IDNA2008), by ICU. So ß and final sigma are letters of their own ({@code straße.example} is
 * xn--strae-oqa.example, not the strasse.example of IDNA2003, which may belong to someone else); a name with a
 * character UTS #46 disallows ({@code bank⒈example}), an empty label ({@code .ß.example}), a label that starts
 * or ends with a hyphen or starts with a combining mark, a joiner out of its context (RFC 5892 CONTEXTJ), a
 * character out of its context (CONTEXTO, as registries check), a right-to-left name that breaks the Bidi rule
 * (RFC 5893), or an A-label that is no valid punycode is refused. The STD3 rules are not used: DNS names such as
 * {@code _dmarc.example.org} carry underscores; the canonical name may hold letters, digits, hyphens and
 * underscores only. Like browsers, a label with hyphens in its third and fourth place ({@code r3---sn}) is taken.
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

    public Domain {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty domain");
        if (name.length() > MAX_INPUT) throw new IllegalArgumentException("invalid domain: longer than any domain name");
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        String ascii = toAscii(name).toLowerCase(Locale.ROOT);
        if (ascii.length() > 253 || ascii.isEmpty() || ascii.startsWith(".") || ascii.contains("..")
                || !ascii.matches("[a-z0-9_.-]+") || ascii.startsWith("-") || ascii.contains(".-") || ascii.contains("-."))
            throw new IllegalArgumentException("invalid domain: " + name);
        name = ascii;
    }

    public static Domain of(String name) {
        return new Domain(name);
    }

    /**
     * The name as UTS #46 ToASCII gives it. A name already in ASCII is its own DNS name, which no one reads as
     * another: the Bidi rule is not applied to it, since service labels ({@code _dmarc}) and DKIM selectors that
     * start with a digit break it beside a right-to-left A-label, and resolvers look such names up as they are.
     */
    private static String toAscii(String name) {
        StringBuilder out = new StringBuilder(name.length());
        IDNA.Info info = new IDNA.Info();
        try {
            UTS46.nameToASCII(name, out, info);
        } catch (RuntimeException e) { // ICU refuses a label of more than 1000 characters after mapping so, not as an error
            throw new IllegalArgumentException("invalid domain: " + name, e);
        }
        Set<IDNA.Error> errors = EnumSet.noneOf(IDNA.Error.class);
        errors.addAll(info.getErrors());
        errors.removeAll(TOLERATED);
        if (name.chars().allMatch(c -> c < 128)) errors.remove(IDNA.Error.BIDI);
        if (!errors.isEmpty()) throw new IllegalArgumentException("invalid domain: " + name);
        return out.toString();
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

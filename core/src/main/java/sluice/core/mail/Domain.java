package sluice.core.mail;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;

/**
 * A DNS domain name in canonical form: lower case, A-labels (punycode) for international names, no
 * trailing dot. Address literals ({@code [192.0.2.1]}) are not domains; {@link Address} keeps them apart.
 *
 * <p>International names are mapped as today's resolvers and mail clients map them (UTS #46 non-transitional
 * processing, IDNA2008): ß and final sigma are letters of their own, so {@code straße.example} is
 * xn--strae-oqa.example, not the strasse.example of IDNA2003, which may belong to someone else. A name with
 * a zero-width joiner or non-joiner is refused: IDNA2003 drops them, IDNA2008 keeps them only in contexts of
 * some scripts (RFC 5892, CONTEXTJ) that are not checked here, so readers could name another domain than DMARC.
 */
public record Domain(String name) {

    /** The longest label, as an A-label (RFC 1035 section 2.3.4). */
    private static final int MAX_LABEL = 63;

    public Domain {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty domain");
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        String ascii;
        try {
            // not STD3: DNS names such as _dmarc.example.org carry underscores
            ascii = hasDeviation(name) ? nonTransitional(name) : IDN.toASCII(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid domain: " + name, e);
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (ascii.length() > 253 || ascii.isEmpty() || ascii.startsWith(".") || ascii.contains("..")
                || !ascii.matches("[a-z0-9_.-]+") || ascii.startsWith("-") || ascii.contains(".-") || ascii.contains("-."))
            throw new IllegalArgumentException("invalid domain: " + name);
        name = ascii;
    }

    public static Domain of(String name) {
        return new Domain(name);
    }

    /** The characters that UTS #46 transitional (IDNA2003) and non-transitional (IDNA2008) processing map differently. */
    private static boolean deviation(int c) {
        return c == '\u00DF' || c == '\u03C2' || c == '\u200C' || c == '\u200D';
    }

    private static boolean hasDeviation(String name) {
        return name.chars().anyMatch(Domain::deviation);
    }

    /** The name with its labels that hold ß or ς encoded as they stand, the others as IDN encodes them. */
    private static String nonTransitional(String name) {
        StringBuilder out = new StringBuilder();
        for (String label : name.split("[.\u3002\uFF0E\uFF61]", -1)) { // the label separators IDN knows too
            if (!out.isEmpty()) out.append('.');
            out.append(hasDeviation(label) ? aLabel(label) : IDN.toASCII(label));
        }
        return out.toString();
    }

    /**
     * The A-label of a label holding ß or ς: the text around them mapped as IDN maps it (case folded, NFKC), the
     * deviation characters kept, the whole in NFC and punycode.
     */
    private static String aLabel(String label) {
        if (label.indexOf('\u200C') >= 0 || label.indexOf('\u200D') >= 0)
            throw new IllegalArgumentException("a zero-width joiner or non-joiner in a domain label");
        if (label.length() > MAX_LABEL) throw new IllegalArgumentException("label too long");
        StringBuilder mapped = new StringBuilder();
        int from = 0;
        for (int i = 0; i <= label.length(); i++) {
            if (i < label.length() && !deviation(label.charAt(i))) continue;
            if (i > from) mapped.append(IDN.toUnicode(IDN.toASCII(label.substring(from, i))).toLowerCase(Locale.ROOT));
            if (i < label.length()) mapped.append(label.charAt(i));
            from = i + 1;
        }
        String encoded = "xn--" + Punycode.encode(Normalizer.normalize(mapped, Normalizer.Form.NFC));
        if (encoded.length() > MAX_LABEL) throw new IllegalArgumentException("label too long");
        return encoded;
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

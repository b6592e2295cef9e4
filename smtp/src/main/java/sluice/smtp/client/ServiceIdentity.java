package sluice.smtp.client;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The DNS names a certificate vouches for, and matching them against a DNS name per RFC 6125
 * section 6.4. One routine for every name check: a server's certificate for DomainValidation, a
 * sending server's client certificate for an inbound connector.
 *
 * <p>Names are compared as ASCII: a presented name counts only in LDH form (letters, digits, hyphens;
 * internationalized names as their A-labels), optionally with {@code *.} in front, and is compared
 * case-insensitively with the expected A-label. Nothing is mapped (no IDNA on presented names), so no
 * Unicode or full-width spelling folds into another name. The subject CN counts only as a last resort
 * (RFC 6125 section 6.4.4): when the certificate has no subjectAltName extension at all, from a
 * subject with exactly one CN that is an RDN of its own. A wildcard stands only as the whole left-most
 * label, for exactly one label, and never over a public suffix: {@code *.com} matches nothing, and neither
 * does {@code *.co.uk}. This module has no public suffix list, so callers pass the test for one (core has
 * the list); a single label is a public suffix whatever the test says.
 *
 * <p>Names are DNS names only: a name whose last label is all digits ({@code 192.0.2.1}, {@code *.0.2.1})
 * is no host name (no top-level domain is numeric, RFC 1123 section 2.1 and RFC 3696 section 2), so an
 * IP address in a CN or a dNSName never counts as a name.
 */
public final class ServiceIdentity {

    private static final int DNS_NAME = 2;

    private ServiceIdentity() {}

    /**
     * True when {@code cert} presents {@code name} (an A-label host name; a trailing dot is ignored).
     * {@code publicSuffix} tells whether a name (lower case, A-labels) is a public suffix: a presented
     * wildcard over one matches nothing.
     */
    public static boolean matches(X509Certificate cert, String name, Predicate<String> publicSuffix) {
        String wanted = hostName(name);
        if (wanted == null || wanted.startsWith("*.")) return false;
        for (String presented : names(cert)) if (matches(presented, wanted, publicSuffix)) return true;
        return false;
    }

    /** As {@link #matches(X509Certificate, String, Predicate)} knowing only single labels as public suffixes: for tests. */
    static boolean matches(X509Certificate cert, String name) {
        return matches(cert, name, n -> false);
    }

    /**
     * The DNS names the certificate presents, lower-cased: its subjectAltName dNSNames, or, only when
     * it has no subjectAltName at all, its CN as described above. Names not in LDH form are left out.
     */
    public static List<String> names(X509Certificate cert) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (sans != null && !sans.isEmpty()) {
            for (List<?> san : sans) {
                String name = Integer.valueOf(DNS_NAME).equals(san.get(0)) && san.get(1) instanceof String s ? hostName(s) : null;
                if (name != null) out.add(name);
            }
            return out;
        }
        String cn = commonName(cert);
        return cn == null ? List.of() : List.of(cn);
    }

    /** The subject's only CN, when it is an RDN of its own and an LDH name; else null. */
    private static String commonName(X509Certificate cert) {
        String cn = null;
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                boolean hasCn = rdn.toAttributes().get("CN") != null;
                if (!hasCn) continue;
                if (cn != null || rdn.size() != 1 || !(rdn.getValue() instanceof String value)) return null;
                cn = value;
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return hostName(cn);
    }

    /**
     * True when the presented name {@code presented} covers the host name {@code wanted} (both as
     * {@link #hostName} reads them; {@code wanted} no wildcard): equal, or {@code presented} is
     * {@code *.base} and {@code wanted} one label under a base that is no public suffix.
     */
    public static boolean matches(String presented, String wanted, Predicate<String> publicSuffix) {
        String p = hostName(presented);
        String w = hostName(wanted);
        if (p == null || w == null || w.startsWith("*.")) return false;
        if (!p.startsWith("*.")) return p.equals(w);
        String base = wildcardBase(p, publicSuffix);
        if (base == null || !w.endsWith("." + base)) return false;
        String label = w.substring(0, w.length() - base.length() - 1);
        return label.indexOf('.') < 0;
    }

    /**
     * The base of a wildcard name ({@code example.com} of {@code *.example.com}), or null when the name
     * is no wildcard, or its base a single label or a public suffix by {@code publicSuffix}: such a
     * wildcard stands for nobody in particular.
     */
    public static String wildcardBase(String name, Predicate<String> publicSuffix) {
        String n = hostName(name);
        if (n == null || !n.startsWith("*.")) return null;
        String base = n.substring(2);
        return base.indexOf('.') < 0 || publicSuffix.test(base) ? null : base;
    }

    static boolean matches(String presented, String wanted) {
        return matches(presented, wanted, n -> false);
    }

    /**
     * {@code name} lower-cased without a trailing dot when it is an LDH host name of at most 253
     * octets whose last label is not all digits, optionally with {@code *.} in front; else null.
     */
    public static String hostName(String name) {
        if (name == null) return null;
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String rest = n.startsWith("*.") ? n.substring(2) : n;
        if (rest.isEmpty() || rest.length() > 253) return null;
        String[] labels = rest.split("\\.", -1);
        for (String label : labels) if (!isLdhLabel(label)) return null;
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) return null; // an IP address, not a name
        return n.toLowerCase(Locale.ROOT); // ASCII only by now: no Unicode case folding into ASCII (the Kelvin sign)
    }

    private static boolean isLdhLabel(String label) {
        if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) return false;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) return false;
        }
        return true;
    }
}

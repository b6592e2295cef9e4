package sluice.smtp.client;

import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Matches a certificate against a DNS name per RFC 6125 section 6.4: the subjectAltName dNSName
 * entries, or the subject CN only when there are none; a wildcard only as the whole left-most label,
 * standing for exactly one label, and never for the last two labels ({@code *.com} matches nothing).
 */
public final class ServiceIdentity {

    private ServiceIdentity() {}

    public static boolean matches(X509Certificate cert, String name) {
        String wanted = normalize(name);
        if (wanted == null) return false;
        for (String presented : names(cert)) if (matches(presented, wanted)) return true;
        return false;
    }

    /** The DNS names the certificate presents: SAN dNSNames, or the CN when there are none. */
    public static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null)
                for (List<?> san : sans) if (Integer.valueOf(2).equals(san.get(0))) out.add(String.valueOf(san.get(1)));
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (!out.isEmpty()) return out;
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns())
                if (rdn.getType().equalsIgnoreCase("CN")) out.add(String.valueOf(rdn.getValue()));
        } catch (InvalidNameException e) {
            return List.of();
        }
        return out;
    }

    static boolean matches(String presented, String wanted) {
        String p = presented.startsWith("*.") ? "*." + normalize(presented.substring(2)) : normalize(presented);
        if (p == null) return false;
        if (!p.startsWith("*.")) return p.equals(wanted);
        String suffix = p.substring(1); // ".example.com"
        if (suffix.indexOf('.', 1) < 0) return false; // "*.com"
        if (!wanted.endsWith(suffix)) return false;
        String label = wanted.substring(0, wanted.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    private static String normalize(String name) {
        if (name == null) return null;
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        try {
            return IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

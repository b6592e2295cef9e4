package sluice.core.connector;

import sluice.core.mail.PublicSuffixList;
import sluice.core.mail.Domain;
import sluice.smtp.client.ServiceIdentity;

/**
 * The names connectors match TLS certificates by: an inbound connector's {@code tlsSenderCertificateName}
 * and an outbound connector's {@code tlsDomain}. Such a name is a DNS host name (letters, digits, hyphens;
 * an international name in either spelling, compared as its A-label), an inbound connector's optionally
 * with {@code *.} in front for one label. Never an IP address (a name whose last label is all digits), and
 * never a wildcard over a public suffix of the bundled {@link PublicSuffixList} ({@code *.com},
 * {@code *.co.uk}, {@code *.github.io}): such a wildcard names everybody's servers. The same list decides
 * which wildcards in certificates stand for nobody in particular ({@link #isPublicSuffix}).
 */
public final class CertificateNames {

    private CertificateNames() {}

    /**
     * True when {@code name} (lower case, A-labels) is a public suffix by the bundled list, whose default
     * rule makes every single label one; a name that is no domain at all counts as one too (fails closed).
     */
    public static boolean isPublicSuffix(String name) {
        try {
            Domain d = Domain.of(name);
            return PublicSuffixList.bundled().publicSuffix(d).equals(d.name());
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * A connector's certificate name as certificates carry it: A-labels (UTS #46), lower case, {@code *.}
     * kept; null when there is none or it is unusable ({@link #problem}).
     */
    static String canonical(String configured) {
        if (configured == null || problem(configured) != null) return null;
        return ascii(configured);
    }

    /** Why {@code configured} cannot be a connector's certificate name or TLS domain, or null when it can (or is null). */
    public static String problem(String configured) {
        if (configured == null) return null;
        String name = ascii(configured);
        if (name == null)
            return "must be a DNS host name (letters, digits, hyphens), optionally with *. in front; not an IP address";
        if (name.startsWith("*.") && ServiceIdentity.wildcardBase(name, CertificateNames::isPublicSuffix) == null)
            return "a wildcard may not stand for names directly under a public suffix (" + name.substring(2) + ")";
        return null;
    }

    private static String ascii(String configured) {
        boolean wildcard = configured.startsWith("*.");
        try {
            String name = Domain.of(wildcard ? configured.substring(2) : configured).name();
            return ServiceIdentity.hostName(wildcard ? "*." + name : name);
        } catch (IllegalArgumentException e) {
            return ServiceIdentity.hostName(configured);
        }
    }
}

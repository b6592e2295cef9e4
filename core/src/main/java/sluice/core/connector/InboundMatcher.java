package sluice.core.connector;

import sluice.core.mail.Domain;
import sluice.smtp.client.ServiceIdentity;

import javax.net.ssl.X509TrustManager;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attributes a sending server to an inbound connector, EOP's way: a connector that names the TLS
 * client certificate wins over one that names the IP; either must also cover the sender's domain.
 * A certificate counts only when its chain validates against the node's client trust, so nobody can
 * mint a certificate with a partner's name and be taken for the partner.
 */
public final class InboundMatcher {

    /** The sending server as seen on this connection: its IP and the names of its trusted certificate. */
    public record Peer(InetAddress address, List<String> certificateNames, boolean tls) {
        public Peer {
            certificateNames = List.copyOf(certificateNames);
        }
    }

    /** Why mail from a sender domain must be refused on this connection, by which connector. */
    public record Restriction(InboundConnector connector, String reason) {
    }

    private final Connectors connectors;
    private final X509TrustManager clientTrust;

    public InboundMatcher(Connectors connectors, X509TrustManager clientTrust) {
        this.connectors = connectors;
        this.clientTrust = clientTrust;
    }

    /**
     * The DNS names of a client certificate chain as {@link ServiceIdentity#names} reads them (SAN
     * dNSNames; the CN only of a certificate without any SAN, and only a lone, single-valued, LDH one),
     * or none when the chain is not trusted.
     */
    public List<String> trustedNames(List<X509Certificate> chain) {
        if (chain.isEmpty()) return List.of();
        try {
            clientTrust.checkClientTrusted(chain.toArray(X509Certificate[]::new), chain.getFirst().getPublicKey().getAlgorithm());
        } catch (CertificateException | RuntimeException e) {
            return List.of();
        }
        return ServiceIdentity.names(chain.getFirst());
    }

    /** The connector this mail comes through, if any: certificate first, then IP. */
    public Optional<InboundConnector> attribute(Peer peer, Domain senderDomain) {
        return attribute(peer, senderDomain, c -> true);
    }

    /**
     * As {@link #attribute(Peer, Domain)} among {@code organizationId}'s connectors only: once the
     * recipients tell whose mail it is, another organization's connector that matches the same
     * connection has no say in it.
     */
    public Optional<InboundConnector> attribute(Peer peer, Domain senderDomain, String organizationId) {
        return attribute(peer, senderDomain, c -> c.organizationId().equals(organizationId));
    }

    /**
     * The OnPremises connectors this connection matches, by certificate first: for a relayed
     * recipient, when the connector that matched first (say another organization's Partner connector
     * naming the same certificate) cannot relay, the organization whose own servers these are still
     * can; the caller picks the first that relays for this sender.
     */
    public List<InboundConnector> onPremisesMatches(Peer peer, Domain senderDomain) {
        List<InboundConnector> byCertificate = new ArrayList<>();
        List<InboundConnector> byIp = new ArrayList<>();
        for (InboundConnector c : connectors.allInbound()) {
            if (!c.enabled() || c.type() != ConnectorType.ON_PREMISES || !coversSender(c, senderDomain)) continue;
            if (matchesCertificate(c, peer)) byCertificate.add(c);
            else if (matchesIp(c, peer)) byIp.add(c);
        }
        byCertificate.addAll(byIp);
        return byCertificate;
    }

    private Optional<InboundConnector> attribute(Peer peer, Domain senderDomain, java.util.function.Predicate<InboundConnector> of) {
        InboundConnector byIp = null;
        for (InboundConnector c : connectors.allInbound()) {
            if (!c.enabled() || !of.test(c) || !coversSender(c, senderDomain)) continue;
            if (matchesCertificate(c, peer)) return Optional.of(c);
            if (byIp == null && matchesIp(c, peer)) byIp = c;
        }
        return Optional.ofNullable(byIp);
    }

    /**
     * A Partner connector of {@code organizationId} that claims this sender domain and whose
     * conditions this connection does not meet: TLS required, or the domain restricted to the
     * partner's IPs or certificate. Only the organization's own connectors count: one organization's
     * partner rules must not refuse mail that other organizations receive.
     */
    public Optional<Restriction> restriction(Peer peer, Domain senderDomain, String organizationId) {
        if (senderDomain == null || organizationId == null) return Optional.empty();
        Restriction first = null;
        for (InboundConnector c : connectors.allInbound()) {
            if (!c.enabled() || c.type() != ConnectorType.PARTNER || !c.organizationId().equals(organizationId)
                    || !namesSenderExplicitly(c, senderDomain)) continue;
            Restriction unmet = unmet(c, peer, senderDomain);
            if (unmet == null) return Optional.empty(); // a partner with two sites: meeting one connector's conditions is enough
            if (first == null) first = unmet;
        }
        return Optional.ofNullable(first);
    }

    private Restriction unmet(InboundConnector c, Peer peer, Domain senderDomain) {
        if (c.requireTls() && !peer.tls()) return new Restriction(c, "TLS is required for mail from " + senderDomain);
        if (c.restrictDomainsToIpAddresses() && !matchesIp(c, peer))
            return new Restriction(c, "mail from " + senderDomain + " must come from the partner's IP addresses");
        if (c.restrictDomainsToCertificate() && !matchesCertificate(c, peer))
            return new Restriction(c, "mail from " + senderDomain + " must present the partner's certificate");
        return null;
    }

    private static boolean coversSender(InboundConnector c, Domain senderDomain) {
        if (senderDomain == null) return true; // bounces (null sender) are attributed by server identity alone
        return c.senderDomains().stream().anyMatch(p -> p.matches(senderDomain));
    }

    private static boolean namesSenderExplicitly(InboundConnector c, Domain senderDomain) {
        return c.senderDomains().stream().anyMatch(p -> !p.pattern().equals("*") && p.matches(senderDomain));
    }

    private static boolean matchesIp(InboundConnector c, Peer peer) {
        return c.senderIpAddresses().stream().anyMatch(r -> r.contains(peer.address()));
    }

    /** True when the connection presented a trusted certificate with the connector's name. */
    public static boolean matchesCertificate(InboundConnector c, Peer peer) {
        String w = certificateName(c.tlsSenderCertificateName());
        if (w == null) return false;
        for (String presented : peer.certificateNames()) {
            String name = ServiceIdentity.hostName(presented);
            if (name == null) continue;
            if (name.equals(w)) return true;
            // a wildcard stands for exactly one label (RFC 6125 section 6.4.3): *.onprem.example is not a.b.onprem.example
            if (w.startsWith("*.") && name.length() >= w.length() && name.endsWith(w.substring(1)) && !name.startsWith("*")
                    && name.indexOf('.') == name.length() - w.length() + 1) return true;
        }
        return false;
    }

    /** A connector's certificate name as certificates carry it: A-labels (UTS #46), lower case, {@code *.} kept; null when none. */
    private static String certificateName(String configured) {
        if (configured == null) return null;
        boolean wildcard = configured.startsWith("*.");
        try {
            String name = Domain.of(wildcard ? configured.substring(2) : configured).name();
            return ServiceIdentity.hostName(wildcard ? "*." + name : name);
        } catch (IllegalArgumentException e) {
            return ServiceIdentity.hostName(configured);
        }
    }
}

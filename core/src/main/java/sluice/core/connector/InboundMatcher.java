package sluice.core.connector;

import sluice.core.mail.Domain;
import sluice.smtp.client.ServiceIdentity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.X509TrustManager;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Attributes a sending server to an inbound connector, EOP's way: a connector that names the TLS
 * client certificate wins over one that names the IP; either must also cover the sender's domain.
 * A certificate counts only when its chain validates against the node's client trust, so nobody can
 * mint a certificate with a partner's name and be taken for the partner.
 *
 * <p>The chain is validated by PKIX (RFC 5280: signatures, validity, basic constraints, the JDK's
 * disabled algorithms) up to an anchor of the node's trust; revocation is checked only when the JDK's
 * trust managers would check it ({@code -Dcom.sun.net.ssl.checkRevocation=true}). The leaf's extended key
 * usage may be clientAuth, serverAuth or anyExtendedKeyUsage, or absent: mail servers present their
 * server certificate as their client certificate (Exchange, Postfix), and public CAs no longer put
 * clientAuth in server certificates (Chrome Root Program policy, from 2026), so requiring clientAuth,
 * as the JDK's client check does, would stop attributing them. A leaf with a key usage extension must
 * allow digitalSignature, with which it signed the handshake. A leaf that is itself a trust anchor (a
 * partner's self-signed certificate in the bundle) is trusted while it is valid.
 */
public final class InboundMatcher {

    private static final Logger LOG = LoggerFactory.getLogger(InboundMatcher.class);

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;

    /** The name of the JDK's switch for revocation checks in its trust managers, off by default. */
    private static final String CHECK_REVOCATION = "com.sun.net.ssl.checkRevocation";

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
    private final Set<TrustAnchor> anchors;
    private final Set<X509Certificate> anchorCertificates;

    /**
     * @param clientTrust  its accepted issuers are the trust anchors for client certificates. Stored
     *                     connectors whose certificate name is no longer allowed ({@link CertificateNames})
     *                     are logged here: they stay, but their certificate name matches nothing.
     */
    public InboundMatcher(Connectors connectors, X509TrustManager clientTrust) {
        this.connectors = connectors;
        this.anchorCertificates = Set.of(clientTrust.getAcceptedIssuers());
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : anchorCertificates) if (mayIssue(c)) a.add(new TrustAnchor(c, null));
        this.anchors = Set.copyOf(a);
        for (InboundConnector c : connectors.allInbound()) {
            String problem = CertificateNames.problem(c.tlsSenderCertificateName());
            if (problem != null)
                LOG.warn("inbound connector {} of organization {}: tlsSenderCertificateName is no longer allowed ({}): no certificate matches it "
                        + "until it is changed", c.id(), c.organizationId(), problem);
        }
    }

    /**
     * The DNS names of a client certificate chain as {@link ServiceIdentity#names} reads them (SAN
     * dNSNames; the CN only of a certificate without any SAN, and only a lone, single-valued, LDH one),
     * or none when the chain is not trusted (see above).
     */
    public List<String> trustedNames(List<X509Certificate> chain) {
        if (chain.isEmpty() || !trusted(chain)) return List.of();
        return ServiceIdentity.names(chain.getFirst());
    }

    private boolean trusted(List<X509Certificate> chain) {
        X509Certificate leaf = chain.getFirst();
        try {
            if (!usableByMailServer(leaf)) return false;
            if (anchorCertificates.contains(leaf)) {
                leaf.checkValidity();
                return true;
            }
            if (anchors.isEmpty()) return false;
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            params.setRevocationEnabled(Boolean.getBoolean(CHECK_REVOCATION));
            CertPathBuilder.getInstance("PKIX").build(params); // builds the path from the chain's certificates and validates it
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether a certificate of the trust bundle may vouch for others: a CA (basic constraints) whose key usage, if
     * given, includes keyCertSign, or an old v1 self-signed root. CertPathBuilder checks no anchor's constraints, so
     * a partner's own certificate pinned in the bundle would otherwise sign certificates for any name; pinned, it
     * still names its own holder (see {@link #trusted}).
     */
    private static boolean mayIssue(X509Certificate c) {
        if (c.getVersion() < 3) return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
        boolean[] keyUsage = c.getKeyUsage();
        return c.getBasicConstraints() >= 0 && (keyUsage == null || (keyUsage.length > KEY_CERT_SIGN && keyUsage[KEY_CERT_SIGN]));
    }

    /** The leaf's key usages allow a TLS handshake by a mail server, as client or as server (see above). */
    private static boolean usableByMailServer(X509Certificate leaf) throws GeneralSecurityException {
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= DIGITAL_SIGNATURE || !keyUsage[DIGITAL_SIGNATURE])) return false;
        List<String> eku = leaf.getExtendedKeyUsage();
        return eku == null || eku.contains(CLIENT_AUTH) || eku.contains(SERVER_AUTH) || eku.contains(ANY_EXTENDED_KEY_USAGE);
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

    /**
     * True when the connection presented a trusted certificate with the connector's name: one that names
     * a host the connector names. A presented wildcard ({@code *.contoso.com}, RFC 6125 section 6.4.3) stands
     * for any one label under its base, so it matches a connector naming such a host
     * ({@code mail.contoso.com}) or naming the same wildcard, never a wildcard over another base; a
     * connector's wildcard likewise matches a presented name one label under its base. A wildcard whose
     * base is a public suffix ({@code *.co.uk}), in a certificate or a connector, stands for nobody and
     * matches nothing, nor does a name that is an IP address ({@link CertificateNames}).
     */
    public static boolean matchesCertificate(InboundConnector c, Peer peer) {
        String w = CertificateNames.canonical(c.tlsSenderCertificateName());
        if (w == null) return false;
        String base = ServiceIdentity.wildcardBase(w, CertificateNames::isPublicSuffix);
        for (String presented : peer.certificateNames()) {
            String name = ServiceIdentity.hostName(presented);
            if (name == null) continue;
            if (base == null) {
                if (ServiceIdentity.matches(name, w, CertificateNames::isPublicSuffix)) return true;
            } else if (name.startsWith("*.")) {
                if (base.equals(ServiceIdentity.wildcardBase(name, CertificateNames::isPublicSuffix))) return true;
            } else if (ServiceIdentity.matches(w, name, CertificateNames::isPublicSuffix)) return true;
        }
        return false;
    }
}

package sluice.core.connector;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import sluice.core.mail.Domain;
import sluice.core.testing.MemoryConnectors;
import sluice.smtp.testing.TestCertificates;

import javax.net.ssl.X509TrustManager;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which client certificate chains name a sending server: PKIX up to the node's trust anchors, with the
 * leaf's extended key usage clientAuth, serverAuth, anyExtendedKeyUsage or none (mail servers present
 * their server certificate, and public CAs no longer put clientAuth in those), never another purpose.
 */
class ClientCertificateTrustTest {

    private static final AtomicLong SERIAL = new AtomicLong(1);
    private static final Instant NOW = Instant.now();

    private record Issued(KeyPair keys, X509Certificate certificate) {}

    private static final Issued ROOT = issue("CN=Test Root", null, true, null, null, NOW.plus(Duration.ofDays(30)));
    private static final Issued INTERMEDIATE = issue("CN=Test Issuing CA", ROOT, true, null, null, NOW.plus(Duration.ofDays(30)));

    private final InboundMatcher matcher;

    ClientCertificateTrustTest() {
        MemoryConnectors connectors = new MemoryConnectors();
        connectors.createInbound(new InboundConnector("", "contoso", "on-prem", ConnectorType.ON_PREMISES, true, null, List.of(),
                "mail.contoso.com", List.of(), true, false, false, true, List.of(), false));
        matcher = new InboundMatcher(connectors, (X509TrustManager) TestCertificates.trustManagers(ROOT.certificate())[0]);
    }

    private static Issued issue(String subject, Issued issuer, boolean ca, KeyPurposeId[] eku, Integer keyUsage, Instant notAfter) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            KeyPair keys = g.generateKeyPair();
            X500Name issuerName = new X500Name(issuer == null ? subject : issuer.certificate().getSubjectX500Principal().getName());
            PrivateKey signer = issuer == null ? keys.getPrivate() : issuer.keys().getPrivate();
            var b = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(NOW.minus(Duration.ofDays(2))), Date.from(notAfter), new X500Name(subject), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            int usage = ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : keyUsage != null ? keyUsage : KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            if (eku != null) b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            if (!ca) b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "mail.contoso.com")));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
            return new Issued(keys, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> leaf(KeyPurposeId... eku) {
        return chain(issue("CN=mail.contoso.com", INTERMEDIATE, false, eku.length == 0 ? null : eku, null, NOW.plus(Duration.ofDays(10))));
    }

    private static List<X509Certificate> chain(Issued leaf) {
        return List.of(leaf.certificate(), INTERMEDIATE.certificate());
    }

    /** Whether a server presenting {@code chain} is attributed to the on-premises connector. */
    private boolean attributed(List<X509Certificate> chain) throws Exception {
        var peer = new InboundMatcher.Peer(InetAddress.getByName("198.51.100.7"), matcher.trustedNames(chain), true);
        return matcher.attribute(peer, Domain.of("contoso.com")).isPresent();
    }

    @Test
    void aServerCertificateWithoutClientAuthNamesItsMailServer() throws Exception {
        assertThat(matcher.trustedNames(leaf(KeyPurposeId.id_kp_serverAuth))).containsExactly("mail.contoso.com");
        assertThat(attributed(leaf(KeyPurposeId.id_kp_serverAuth))).isTrue();
        assertThat(attributed(leaf(KeyPurposeId.id_kp_clientAuth))).isTrue();
        assertThat(attributed(leaf(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth))).isTrue();
        assertThat(attributed(leaf(KeyPurposeId.anyExtendedKeyUsage))).isTrue();
        assertThat(attributed(leaf())).as("no extended key usage").isTrue();
    }

    @Test
    void aCertificateForAnotherPurposeNamesNobody() throws Exception {
        assertThat(matcher.trustedNames(leaf(KeyPurposeId.id_kp_codeSigning))).isEmpty();
        assertThat(attributed(leaf(KeyPurposeId.id_kp_codeSigning))).isFalse();
        assertThat(attributed(leaf(KeyPurposeId.id_kp_emailProtection))).isFalse();
        assertThat(attributed(leaf(KeyPurposeId.id_kp_emailProtection, KeyPurposeId.id_kp_timeStamping))).isFalse();
        Issued noSignature = issue("CN=mail.contoso.com", INTERMEDIATE, false, null, KeyUsage.keyEncipherment, NOW.plus(Duration.ofDays(10)));
        assertThat(attributed(chain(noSignature))).as("a key usage without digitalSignature").isFalse();
    }

    @Test
    void theChainMustLeadToATrustAnchorAndBeValid() throws Exception {
        assertThat(attributed(List.of(leaf(KeyPurposeId.id_kp_serverAuth).getFirst()))).as("without its intermediate").isFalse();
        Issued otherRoot = issue("CN=Test Root", null, true, null, null, NOW.plus(Duration.ofDays(30)));
        Issued otherIntermediate = issue("CN=Test Issuing CA", otherRoot, true, null, null, NOW.plus(Duration.ofDays(30)));
        Issued forged = issue("CN=mail.contoso.com", otherIntermediate, false, new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth}, null,
                NOW.plus(Duration.ofDays(10)));
        assertThat(attributed(List.of(forged.certificate(), otherIntermediate.certificate()))).as("same names, another CA").isFalse();
        assertThat(attributed(List.of(forged.certificate(), INTERMEDIATE.certificate()))).isFalse();
        Issued expired = issue("CN=mail.contoso.com", INTERMEDIATE, false, new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth}, null,
                NOW.minus(Duration.ofDays(1)));
        assertThat(attributed(chain(expired))).as("expired").isFalse();
        Issued notACa = issue("CN=mail.contoso.com", INTERMEDIATE, false, null, null, NOW.plus(Duration.ofDays(10)));
        Issued underALeaf = issue("CN=mail.contoso.com", notACa, false, null, null, NOW.plus(Duration.ofDays(10)));
        assertThat(attributed(List.of(underALeaf.certificate(), notACa.certificate(), INTERMEDIATE.certificate())))
                .as("issued by a certificate that is no CA").isFalse();
        assertThat(attributed(List.of(leaf(KeyPurposeId.id_kp_serverAuth).getFirst(), INTERMEDIATE.certificate(), ROOT.certificate())))
                .as("the anchor sent along").isTrue();
    }

    @Test
    void aPartnersSelfSignedCertificateInTheTrustBundleIsTrusted() {
        Issued self = issue("CN=mail.contoso.com", null, false, new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth}, null,
                NOW.plus(Duration.ofDays(10)));
        var pinned = new InboundMatcher(new MemoryConnectors(), (X509TrustManager) TestCertificates.trustManagers(self.certificate())[0]);
        assertThat(pinned.trustedNames(List.of(self.certificate()))).containsExactly("mail.contoso.com");
        assertThat(matcher.trustedNames(List.of(self.certificate()))).as("not in this node's bundle").isEmpty();
    }

    /** A review found every certificate of the bundle used as an anchor: a pinned partner could sign for any name. */
    @Test
    void aCertificatePinnedInTheBundleVouchesForNoOther() {
        Issued partner = issue("CN=mail.partner.example", null, false, new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth}, null,
                NOW.plus(Duration.ofDays(10)));
        Issued forged = issue("CN=mail.contoso.com", partner, false, new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth}, null,
                NOW.plus(Duration.ofDays(10)));
        var pinned = new InboundMatcher(new MemoryConnectors(), (X509TrustManager) TestCertificates.trustManagers(partner.certificate())[0]);
        assertThat(pinned.trustedNames(List.of(forged.certificate()))).as("signed by a pinned leaf").isEmpty();
        assertThat(pinned.trustedNames(List.of(forged.certificate(), partner.certificate()))).as("with the pin sent along").isEmpty();
        assertThat(pinned.trustedNames(List.of(partner.certificate()))).as("the pin itself").containsExactly("mail.contoso.com");
    }
}

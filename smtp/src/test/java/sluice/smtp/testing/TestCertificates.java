package sluice.smtp.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for tests: a throw-away CA, and leaf certificates signed by it (or self-signed) for
 * any DNS names, with the key stores and SSL contexts built from them.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final char[] PASSWORD = "changeit".toCharArray();

    /** A key pair and its certificate chain (leaf first). */
    public record Identity(PrivateKey key, X509Certificate[] chain) {
        public X509Certificate certificate() {
            return chain[0];
        }

        public KeyStore keyStore() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("key", key, PASSWORD, chain);
                return ks;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Key managers presenting this identity. */
        public javax.net.ssl.KeyManager[] keyManagers() {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(), PASSWORD);
                return kmf.getKeyManagers();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** A server- or client-side context presenting this identity and trusting {@code trusted} (null: JDK defaults). */
        public SSLContext sslContext(X509Certificate... trusted) {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(), PASSWORD);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), trusted.length == 0 ? null : trustManagers(trusted), new SecureRandom());
                return ctx;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Identity ca;

    private TestCertificates(Identity ca) {
        this.ca = ca;
    }

    /** A new CA named {@code name}. */
    public static TestCertificates newCa(String name) {
        KeyPair kp = keyPair();
        X509Certificate cert = build(new X500Name("CN=" + name), kp, new X500Name("CN=" + name), kp.getPrivate(), true, null,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        return new TestCertificates(new Identity(kp.getPrivate(), new X509Certificate[]{cert}));
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** A leaf for {@code cn} with {@code dnsNames} as subject alternative names, signed by this CA. */
    public Identity issue(String cn, String... dnsNames) {
        return issue(cn, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), dnsNames);
    }

    /** As {@link #issue(String, String...)} with an explicit validity (for expired-certificate tests). */
    public Identity issue(String cn, Instant notBefore, Instant notAfter, String... dnsNames) {
        return issue(new X500Name("CN=" + cn), notBefore, notAfter, dnsNames(dnsNames));
    }

    /**
     * A leaf with exactly this subject and these subject alternative names (any type; none: no
     * extension at all), signed by this CA: for certificates no well-behaved CA issues.
     */
    public Identity issue(X500Name subject, GeneralName... altNames) {
        return issue(subject, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), altNames);
    }

    private Identity issue(X500Name subject, Instant notBefore, Instant notAfter, GeneralName[] altNames) {
        KeyPair kp = keyPair();
        X509Certificate cert = build(subject, kp, new X500Name(ca.certificate().getSubjectX500Principal().getName()),
                ca.key(), false, altNames, notBefore, notAfter);
        return new Identity(kp.getPrivate(), new X509Certificate[]{cert, ca.certificate()});
    }

    /** A self-signed leaf, trusted by nobody. */
    public static Identity selfSigned(String cn, String... dnsNames) {
        KeyPair kp = keyPair();
        X509Certificate cert = build(new X500Name("CN=" + cn), kp, new X500Name("CN=" + cn), kp.getPrivate(), false, dnsNames(dnsNames),
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        return new Identity(kp.getPrivate(), new X509Certificate[]{cert});
    }

    public static javax.net.ssl.TrustManager[] trustManagers(X509Certificate... trusted) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (int i = 0; i < trusted.length; i++) ts.setCertificateEntry("t" + i, trusted[i]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static GeneralName[] dnsNames(String[] names) {
        GeneralName[] out = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) out[i] = new GeneralName(GeneralName.dNSName, names[i]);
        return out;
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                         boolean isCa, GeneralName[] altNames, Instant notBefore, Instant notAfter) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            }
            if (altNames != null && altNames.length > 0)
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

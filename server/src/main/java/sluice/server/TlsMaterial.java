package sluice.server;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The node's TLS identity: the configured PEM certificate chain and key, or a self-signed
 * certificate for the host name generated at first start and kept under {@code dataDir/tls} so it
 * stays the same across restarts.
 */
final class TlsMaterial {

    private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
    private static final char[] STORE_PASSWORD = "sluice".toCharArray(); // protects nothing: the file's mode does

    private TlsMaterial() {
    }

    /** The key managers holding the node's identity, for {@code ServerTlsContext}. */
    static javax.net.ssl.KeyManager[] keyManagers(NodeConfig config) {
        try {
            KeyStore ks = config.tls().certificate() != null
                    ? fromPem(config.tls().certificate(), config.tls().key())
                    : selfSigned(config.dataDir().resolve("tls"), config.hostname());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, STORE_PASSWORD);
            return kmf.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigLoader.ConfigException("TLS certificate or key unusable: " + e.getMessage());
        }
    }

    /** The trust anchors for partners' certificates: the configured PEM bundle, else the JDK's. */
    static javax.net.ssl.X509TrustManager trust(NodeConfig config) {
        Path bundle = config.tls().trustedCertificates();
        if (bundle == null) return sluice.smtp.client.TlsContexts.jdkTrust();
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int n = 0;
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            try (Reader r = Files.newBufferedReader(bundle); PEMParser p = new PEMParser(r)) {
                for (Object o = p.readObject(); o != null; o = p.readObject()) {
                    if (o instanceof X509CertificateHolder h) ts.setCertificateEntry("ca" + n++, conv.getCertificate(h));
                }
            }
            if (n == 0) throw new GeneralSecurityException("no certificate in " + bundle);
            return sluice.smtp.client.TlsContexts.trustManager(ts);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigLoader.ConfigException("tls.trustedCertificates unusable: " + e.getMessage());
        }
    }

    private static KeyStore fromPem(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(certFile); PEMParser p = new PEMParser(r)) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) chain.add(conv.getCertificate(h));
            }
        }
        if (chain.isEmpty()) throw new GeneralSecurityException("no certificate in " + certFile);
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyFile); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter kc = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) key = kc.getKeyPair(kp).getPrivate();
            else if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) key = kc.getPrivateKey(info);
            else throw new GeneralSecurityException("no unencrypted private key in " + keyFile);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("sluice", key, STORE_PASSWORD, chain.toArray(X509Certificate[]::new));
        return ks;
    }

    private static KeyStore selfSigned(Path dir, String hostname) throws IOException, GeneralSecurityException {
        Path file = dir.resolve("self-signed.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, STORE_PASSWORD);
            }
            return ks;
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + hostname);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(825))), name, kp.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)));
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
        ks.load(null, null);
        ks.setKeyEntry("sluice", kp.getPrivate(), STORE_PASSWORD, new X509Certificate[]{cert});
        sluice.store.DataDirectory.create(dir);
        var bytes = new java.io.ByteArrayOutputStream();
        ks.store(bytes, STORE_PASSWORD);
        Secrets.writeOwnerOnly(file, bytes.toByteArray()); // the private key: owner-only from the start
        LOG.info("generated a self-signed TLS certificate for {} in {}; configure tls.certificate and tls.key for a trusted one",
                hostname, file);
        return ks;
    }
}

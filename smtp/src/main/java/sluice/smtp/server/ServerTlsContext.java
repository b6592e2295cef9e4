package sluice.smtp.server;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Builds the server-side {@link SSLContext} for SMTP: it presents the given identity and lets any
 * client certificate through the handshake. Mail servers present certificates from every CA (and
 * self-signed ones); refusing them in the handshake would fail the session before the handler can
 * decide, so the chain is handed to the handler in {@link sluice.smtp.TlsInfo} and verified there
 * (an inbound connector's {@code tlsSenderCertificateName}).
 */
public final class ServerTlsContext {

    private ServerTlsContext() {
    }

    /** A context for {@code key} and its certificate chain (leaf first). */
    public static SSLContext of(PrivateKey key, X509Certificate... chain) {
        try {
            char[] password = "sluice".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, password, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            return of(kmf.getKeyManagers());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("unusable TLS key or certificate: " + e.getMessage(), e);
        }
    }

    /** A context for the given key managers. */
    public static SSLContext of(KeyManager... keyManagers) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, new X509ExtendedTrustManager[]{new AnyClientCertificate()}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS unavailable in this JDK", e);
        }
    }

    /**
     * Accepts every client chain; the handshake still proves the client holds the leaf's private key.
     * Advertises no acceptable issuers, so clients offer whatever certificate they have.
     */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("server-side trust manager: not for verifying servers");
        }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkServerTrusted(chain, authType);
        }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

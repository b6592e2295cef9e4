package sluice.smtp.client;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Client SSL contexts for the certificate policies a caller may choose. Host-name checks are not
 * done here: see {@link ServiceIdentity}, applied after the handshake, because SMTP checks names
 * (an MX host, a connector's TLS domain) that are not always the name we connected to.
 *
 * <p>Whatever the context, the client offers TLS 1.3 and 1.2 only, as the server accepts only
 * those: TLS 1.0 and 1.1 are deprecated (RFC 8996), also where a JDK's {@code java.security} still
 * enables them. With opportunistic TLS a server that speaks nothing newer gets its mail in plaintext
 * (the handshake fails, and delivery goes on as without STARTTLS); every other policy waits.
 */
public final class TlsContexts {

    /** The protocol versions every client TLS handshake offers, newest first. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsContexts() {}

    /** Restricts {@code p} to {@link #PROTOCOLS}. */
    static void pinProtocols(SSLParameters p) {
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
    }

    /**
     * Accepts any server certificate: opportunistic TLS (RFC 7435), where encryption without
     * authentication beats plaintext, and "encryption only" connectors.
     */
    public static SSLContext anyCertificate() {
        return anyCertificate(null);
    }

    /** As {@link #anyCertificate()}, presenting a client certificate from {@code clientKeys} when asked (null: none). */
    public static SSLContext anyCertificate(KeyManager[] clientKeys) {
        return context(new AnyCertificate(), clientKeys);
    }

    /** Validates the server chain with {@code trust} (PKIX: signature, validity, trust anchor). */
    public static SSLContext validating(X509TrustManager trust) {
        return validating(trust, null);
    }

    /** As {@link #validating(X509TrustManager)}, presenting a client certificate from {@code clientKeys} (null: none). */
    public static SSLContext validating(X509TrustManager trust, KeyManager[] clientKeys) {
        return context(trust, clientKeys);
    }

    /** The JDK's default trust (the cacerts store). */
    public static X509TrustManager jdkTrust() {
        return trustManager(null);
    }

    /** A PKIX trust manager for the anchors in {@code trustStore} (null: the JDK's). */
    public static X509TrustManager trustManager(KeyStore trustStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            for (TrustManager tm : tmf.getTrustManagers()) if (tm instanceof X509TrustManager x) return x;
            throw new IllegalStateException("no X509TrustManager in " + tmf.getAlgorithm());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(X509TrustManager trust, KeyManager[] clientKeys) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(clientKeys, new TrustManager[]{trust}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSL context: " + e.getMessage(), e);
        }
    }

    private static final class AnyCertificate implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}

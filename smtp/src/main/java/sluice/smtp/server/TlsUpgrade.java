package sluice.smtp.server;

import sluice.smtp.TlsInfo;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server side of a TLS handshake on an accepted socket: TLS 1.2 and 1.3 only, a client
 * certificate wanted but never needed (RFC 3207 section 4.1 leaves client authentication to policy).
 */
final class TlsUpgrade {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsUpgrade() {
    }

    /** Wraps {@code plain} and completes the handshake within {@code timeout}. */
    static SSLSocket handshake(SSLContext context, Socket plain, Duration timeout) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(
                plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setWantClientAuth(true);
        String[] enabled = Arrays.stream(ssl.getSupportedProtocols()).filter(PROTOCOLS::contains).toArray(String[]::new);
        ssl.setEnabledProtocols(enabled);
        ssl.setSoTimeout((int) timeout.toMillis());
        ssl.startHandshake();
        return ssl;
    }

    static TlsInfo info(SSLSocket ssl) {
        SSLSession s = ssl.getSession();
        List<X509Certificate> peer = new ArrayList<>();
        try {
            for (Certificate c : s.getPeerCertificates()) if (c instanceof X509Certificate x) peer.add(x);
        } catch (SSLPeerUnverifiedException none) {
            // the client presented no certificate
        }
        return new TlsInfo(s.getProtocol(), s.getCipherSuite(), peer);
    }
}

package sluice.smtp;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS state of a session after a successful handshake (STARTTLS or implicit TLS).
 * {@code peerCertificates} is empty when the client presented none; the server requests a client
 * certificate but never requires one, so verification of it is left to the handler.
 */
public record TlsInfo(String protocol, String cipherSuite, List<X509Certificate> peerCertificates) {
    public TlsInfo {
        peerCertificates = List.copyOf(peerCertificates);
    }
}

package sluice.smtp.testing;

import sluice.smtp.TlsInfo;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One message an {@link SmtpSink} accepted.
 *
 * @param helo       the EHLO/HELO argument
 * @param mailLine   the whole MAIL command line, parameters included
 * @param mailFrom   the reverse path without brackets
 * @param rcptTo     the accepted recipients, without brackets
 * @param rcptLines  the RCPT command lines of the accepted recipients
 * @param content    the message as received, dot-unstuffed, CRLF line ends, without the final ".CRLF"
 * @param tls        the TLS state, or null when the session was plaintext
 * @param connection the sink's sequence number of the connection it came on (1, 2, ...)
 */
public record SinkMessage(String helo, String mailLine, String mailFrom, List<String> rcptTo, List<String> rcptLines,
                          byte[] content, TlsInfo tls, int connection) {

    public SinkMessage {
        rcptTo = List.copyOf(rcptTo);
        rcptLines = List.copyOf(rcptLines);
    }

    public boolean tlsUsed() { return tls != null; }

    public String text() { return new String(content, StandardCharsets.UTF_8); }

    /** The client's certificate chain, if it presented one during STARTTLS. */
    public List<X509Certificate> peerCertificates() {
        return tls == null ? List.of() : tls.peerCertificates();
    }
}

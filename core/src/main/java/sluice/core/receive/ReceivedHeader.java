package sluice.core.receive;

import sluice.smtp.TlsInfo;
import sluice.smtp.Transaction;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The trace field we prepend (RFC 5321 section 4.4), with the protocol keywords of RFC 3848 (RFC 6531's for a client
 * that asked for SMTPUTF8) and the TLS parameters in a comment, as Postfix and Exchange write them.
 */
final class ReceivedHeader {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {
    }

    static byte[] build(Transaction tx, String hostname, String queueId, String singleRecipient, ZonedDateTime now) {
        String ip = tx.connection().remote().getAddress().getHostAddress();
        StringBuilder sb = new StringBuilder(256);
        sb.append("Received: from ").append(sanitize(tx.heloName())).append(" ([").append(ip).append("])\r\n");
        sb.append("\tby ").append(hostname).append(" (Sluice) with ").append(protocol(tx)).append(" id ").append(queueId);
        TlsInfo tls = tx.tls();
        if (tls != null) {
            sb.append("\r\n\t(version=").append(tls.protocol()).append(" cipher=").append(tls.cipherSuite()).append(')');
        }
        if (singleRecipient != null) sb.append("\r\n\tfor <").append(sanitize(singleRecipient)).append('>');
        sb.append(";\r\n\t").append(DATE.format(now)).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * RFC 3848: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA; a transaction whose client asked for SMTPUTF8 in MAIL FROM is
     * UTF8SMTP, UTF8SMTPS, UTF8SMTPA, UTF8SMTPSA instead (RFC 6531 section 4.3).
     */
    static String protocol(Transaction tx) {
        if (!tx.esmtp()) return "SMTP";
        return (tx.mailFrom().smtpUtf8() ? "UTF8SMTP" : "ESMTP") + (tx.tls() != null ? "S" : "")
                + (tx.authenticatedAs() != null ? "A" : "");
    }

    /** The client chooses these strings; keep them from breaking the header syntax. */
    private static String sanitize(String s) {
        if (s == null) return "unknown";
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && out.length() < 255; i++) {
            char c = s.charAt(i);
            out.append(c < 33 || c == '(' || c == ')' || c == ';' || c == '<' || c == '>' || c == 127 ? '_' : c);
        }
        return out.toString();
    }
}

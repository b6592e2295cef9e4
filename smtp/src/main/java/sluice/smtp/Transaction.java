package sluice.smtp;

import java.util.List;

/**
 * What the server hands the handler when a message is complete: the session facts at that point and
 * the message exactly as received, after dot-unstuffing, CRLF line endings, no trailing ".".
 *
 * @param heloName        the EHLO/HELO argument
 * @param esmtp           true when the client said EHLO
 * @param tls             TLS state, or null for a plaintext session
 * @param authenticatedAs the authenticated identity, or null
 * @param mailFrom        the accepted MAIL FROM
 * @param recipients      the accepted recipients, in order
 * @param content         the message octets
 * @param receivedCount   the number of Received header fields in the message header
 */
public record Transaction(ConnectionInfo connection, String heloName, boolean esmtp, TlsInfo tls,
                          String authenticatedAs, MailFrom mailFrom, List<RcptTo> recipients,
                          byte[] content, int receivedCount) {
    public Transaction {
        recipients = List.copyOf(recipients);
    }
}

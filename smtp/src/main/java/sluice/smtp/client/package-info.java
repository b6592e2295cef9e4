/**
 * Our SMTP client (RFC 5321): one {@link sluice.smtp.client.SmtpConnection} is one TCP connection to
 * a next hop, used sequentially by one thread.
 *
 * <p>Inputs: a socket address, {@link sluice.smtp.client.Timeouts}, a HELO name, and per transaction
 * a {@link sluice.smtp.MailFrom}, {@link sluice.smtp.RcptTo}s and the message: bytes, or a
 * {@link sluice.smtp.client.Content} written as it is sent. Parameters the server did not offer are left out
 * (BODY=8BITMIME among them): whether content fits the server (8-bit, SMTPUTF8) is the caller's to decide. STARTTLS takes a
 * caller-supplied {@link javax.net.ssl.SSLContext}: the certificate policy is the caller's choice
 * ({@link sluice.smtp.client.TlsContexts}, {@link sluice.smtp.client.ServiceIdentity}); the protocol
 * versions are not: every handshake offers TLS 1.3 and 1.2 only.
 *
 * <p>Outputs: {@link sluice.smtp.Reply} values, {@link sluice.smtp.client.Capabilities} from EHLO,
 * and a {@link sluice.smtp.client.TransactionResult} with one reply per recipient. Negative replies
 * to MAIL, RCPT and DATA are results, not errors.
 *
 * <p>Failure modes: every I/O failure, timeout, protocol violation and negative reply where the
 * session cannot go on (greeting, EHLO, STARTTLS) is a {@link sluice.smtp.client.SmtpClientException}
 * naming the {@link sluice.smtp.client.SmtpClientException.Stage} and whether it is temporary. Every
 * step (a whole reply, a command, a block of content, the TLS handshake) has a deadline from
 * {@link sluice.smtp.client.Timeouts}, so no peer can hold a connection longer, however it trickles or
 * stalls; one that runs out is a temporary failure. After
 * an exception the connection is unusable and must be closed (one exception: STARTTLS refused with
 * a reply leaves the plaintext session usable).
 */
package sluice.smtp.client;

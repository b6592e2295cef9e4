/**
 * The SMTP server engine: accepts connections and speaks RFC 5321 with its extensions (PIPELINING,
 * SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, DSN, CHUNKING, STARTTLS, AUTH; not BINARYMIME).
 *
 * <p>Input: TCP connections and a {@link sluice.smtp.SessionHandlerFactory}. Output: one
 * {@link sluice.smtp.Transaction} per complete message handed to the session's handler, whose reply
 * goes to the client as it is. The engine owns the wire (syntax, sequencing, limits, timeouts, TLS,
 * DATA and BDAT framing) and makes no policy decision about addresses or content.
 *
 * <p>Failure modes: protocol violations are answered with exact reply codes (documented on
 * {@code Session}, {@code Protocol}, {@code MessageReceiver} and {@code AuthExchange}); anything
 * that could be SMTP smuggling is read to the real end of data and refused, never delivered; a
 * handler that throws gets the client {@code 451 4.3.0}; an I/O failure ends only its own session.
 * No client can hold resources for ever: arriving messages are buffered within a node-wide
 * {@link sluice.smtp.server.BufferBudget}, a transfer has a total deadline, and replies a write deadline.
 * {@link sluice.smtp.server.SmtpServer} and {@link sluice.smtp.server.SmtpServerConfig} are the
 * entry points; {@link sluice.smtp.server.BufferBudget} and {@link sluice.smtp.server.ConnectionLimits}
 * are public too because the IMAP listener holds its APPENDs and counts its clients with them, and
 * {@link sluice.smtp.server.WriteDeadline} because it bounds its responses' writes with it.
 */
package sluice.smtp.server;

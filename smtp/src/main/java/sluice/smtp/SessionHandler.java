package sluice.smtp;

/**
 * The policy side of one SMTP session. The server owns the wire (syntax, sequencing, limits, TLS,
 * DATA and BDAT framing); the handler owns every decision about addresses and content. Each method
 * returns the reply to send, so no path can forget to answer. Methods are called from the session's
 * own (virtual) thread, one at a time.
 *
 * <p>A handler that throws is answered with {@code 451 4.3.0} and the transaction is reset: an
 * unknown failure is temporary, and nothing is acknowledged that was not committed.
 */
public interface SessionHandler {

    /** At connect, before the greeting: a 2xx lets the session go on; 4xx/5xx is sent and the connection closed. */
    default Reply connect() {
        return null; // null means: send the server's standard greeting
    }

    /** After a syntactically valid EHLO or HELO. Null means accept with the server's standard reply. */
    default Reply helo(String domain, boolean extended) {
        return null;
    }

    /** After STARTTLS (or at connect for implicit TLS) once the handshake completed. */
    default void tlsStarted(TlsInfo tls) {
    }

    /** MAIL FROM, syntax and SIZE already checked against the server limit. */
    Reply mail(MailFrom mailFrom);

    /** RCPT TO, syntax already checked; called once per recipient, the recipient limit already enforced. */
    Reply rcpt(RcptTo rcptTo);

    /**
     * The complete message. Must return 250 only once the message and its recipients are on stable
     * storage (the caller acknowledges on the handler's word).
     */
    Reply data(Transaction transaction);

    /**
     * AUTH (RFC 4954), called once the server decoded the SASL exchange (PLAIN or LOGIN). A positive
     * reply (235) authenticates the session as {@code username}: that name, never {@code
     * authorizationId}, becomes {@link Transaction#authenticatedAs()}, so a handler that ignores the
     * authorization identity cannot be tricked into granting another one. Any other reply is sent
     * as it is and the session stays unauthenticated. Never log {@code password}.
     *
     * @param mechanism       "PLAIN" or "LOGIN"
     * @param authorizationId the PLAIN authorization identity, empty when absent (always empty for LOGIN)
     */
    default Reply auth(String mechanism, String authorizationId, String username, String password) {
        return Reply.of(504, "5.5.4", "Unrecognized authentication type");
    }

    /** RSET, a new EHLO/HELO, STARTTLS, or the end of a transaction: forget MAIL and RCPT state. */
    default void reset() {
    }

    /** The connection ended, for any reason. */
    default void close() {
    }
}

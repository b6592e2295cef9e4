package sluice.smtp.server;

import sluice.smtp.Reply;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms; the credentials go to the handler.
 * Secrets are never logged and never kept after the handler answered.
 *
 * <p>Replies: not enabled {@code 502 5.5.1}; before EHLO, twice, or inside a transaction
 * {@code 503 5.5.1}; before TLS when required {@code 538 5.7.11}; unknown mechanism
 * {@code 504 5.5.4}; undecodable or malformed response {@code 501 5.5.2}; client cancel ("*")
 * {@code 501 5.0.0}; response line over 12288 octets {@code 500 5.5.6}. A permanent refusal from the
 * handler counts against the error budget, which bounds password guessing per connection; a temporary
 * one ({@code 454}: the server is busy checking others' passwords) is no fault of the client's, so a
 * client retrying through a flood of logins is not cut off for it.
 */
final class AuthExchange {

    private final Session session;
    private final SessionState state;
    private final SmtpServerConfig config;

    AuthExchange(Session session) {
        this.session = session;
        this.state = session.state;
        this.config = session.config;
    }

    boolean advertised() {
        return config.authEnabled() && (state.tls != null || !config.requireTlsForAuth());
    }

    void auth(String arg) throws IOException, ReplyException {
        if (!config.authEnabled()) throw new ReplyException(Replies.AUTH_UNAVAILABLE);
        if (state.heloName == null) throw new ReplyException(Replies.SEND_HELO_FIRST);
        if (state.authenticatedAs != null) throw new ReplyException(Replies.AUTH_TWICE);
        if (state.inTransaction()) throw new ReplyException(Replies.AUTH_IN_TRANSACTION);
        if (config.requireTlsForAuth() && state.tls == null) throw new ReplyException(Replies.AUTH_NEEDS_TLS);
        String[] parts = arg.strip().split(" +", 2);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String initial = parts.length > 1 ? parts[1].strip() : null;
        switch (mechanism) {
            case "PLAIN" -> plain(initial);
            case "LOGIN" -> login(initial);
            default -> throw new ReplyException(mechanism.isEmpty() ? Replies.syntax("AUTH mechanism [initial-response]") : Replies.AUTH_MECHANISM);
        }
    }

    private void plain(String initial) throws IOException, ReplyException {
        String response = initial != null ? initial : challenge("");
        String[] fields = split(decode(response), 3);
        if (fields == null || fields[1].isEmpty() || fields[2].isEmpty()) throw new ReplyException(Replies.AUTH_BAD_BASE64);
        verify("PLAIN", fields[0], fields[1], fields[2]);
    }

    private void login(String initial) throws IOException, ReplyException {
        String user = utf8(decode(initial != null ? initial : challenge("Username:")));
        if (user == null || user.isEmpty()) throw new ReplyException(Replies.AUTH_BAD_BASE64);
        String password = utf8(decode(challenge("Password:")));
        if (password == null || password.isEmpty()) throw new ReplyException(Replies.AUTH_BAD_BASE64);
        verify("LOGIN", "", user, password);
    }

    private void verify(String mechanism, String authzid, String user, String password) throws IOException {
        Reply r = session.ask("auth", () -> session.handler().auth(mechanism, authzid, user, password));
        if (r.isPositive()) {
            state.authenticatedAs = user;
            session.send(r);
        } else {
            session.answer(r);
        }
    }

    /** Sends a 334 challenge and reads the client's line; cancels and oversized lines end the exchange. */
    private String challenge(String prompt) throws IOException, ReplyException {
        String encoded = Base64.getEncoder().encodeToString(prompt.getBytes(StandardCharsets.UTF_8));
        session.send(Reply.of(334, encoded));
        WireInput.Line line = session.in().readLine(Session.MAX_AUTH_LINE);
        if (line == null) throw new EOFException("connection closed during AUTH");
        if (line.bareLineEnd()) throw new SessionEnd(Replies.bareLineEndInCommand(config.hostname()), "bare CR or LF in AUTH");
        if (line.tooLong()) throw new ReplyException(Replies.AUTH_LINE_TOO_LONG);
        String text = new String(line.octets(), StandardCharsets.ISO_8859_1).strip();
        if (text.equals("*")) throw new ReplyException(Replies.AUTH_CANCELLED);
        return text;
    }

    /** Base64 of RFC 4954 section 4; "=" is the empty response. */
    private static byte[] decode(String text) throws ReplyException {
        if (text.equals("=")) return new byte[0];
        try {
            if (text.isEmpty()) throw new IllegalArgumentException("empty");
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ReplyException(Replies.AUTH_BAD_BASE64);
        }
    }

    /** authzid NUL authcid NUL passwd (RFC 4616 section 2), or null if malformed. */
    private static String[] split(byte[] raw, int fields) {
        String s = utf8(raw);
        if (s == null) return null;
        String[] parts = s.split("\0", -1);
        return parts.length == fields ? parts : null;
    }

    private static String utf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

package sluice.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * LOGIN and AUTHENTICATE PLAIN (RFC 9051 sections 6.2.2 and 6.2.3, RFC 4616): no password before TLS
 * (NO [PRIVACYREQUIRED]), none once logged in; the check itself is {@link Login}'s.
 */
final class LoginCommands {

    private final ImapSession s;
    private final Login login;

    LoginCommands(ImapSession session, Login login) {
        this.s = session;
        this.login = login;
    }

    void login(String tag, Args a) throws IOException {
        a.sp();
        String user = a.astring();
        a.sp();
        String password = a.astring();
        a.end();
        logIn(tag, user, password, "LOGIN");
    }

    void authenticate(String tag, Args a) throws IOException {
        a.sp();
        String mechanism = Args.upper(a.atom());
        String initial = null;
        if (!a.atEnd()) {
            a.sp();
            initial = a.token();
        }
        a.end();
        String refusal = refusal("Use STARTTLS first: no passwords without TLS");
        if (refusal == null && !mechanism.equals("PLAIN")) refusal = "NO [CANNOT] Only AUTHENTICATE PLAIN is supported";
        if (refusal != null) {
            s.send(tag + " " + refusal);
            return;
        }
        if (initial == null) {
            s.send("+ ");
            initial = s.connection.reader().readLine();
            if (initial == null) throw new IOException("client went away during AUTHENTICATE");
            if (initial.equals("*")) {
                s.bad(tag, "AUTHENTICATE cancelled");
                return;
            }
        }
        String[] parts = plainResponse(initial);
        if (!parts[0].isEmpty() && !parts[0].equalsIgnoreCase(parts[1])) {
            s.no(tag, "[AUTHORIZATIONFAILED] Logging in as another user is not allowed");
            return;
        }
        logIn(tag, parts[1], parts[2], "AUTHENTICATE PLAIN");
    }

    /** authzid, authcid, password of a SASL PLAIN response (RFC 4616). */
    private static String[] plainResponse(String base64) {
        byte[] decoded;
        try {
            decoded = base64.equals("=") ? new byte[0] : Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new ImapSyntaxException("The PLAIN response is not base64");
        }
        String[] parts = new String(decoded, StandardCharsets.UTF_8).split("\0", -1);
        if (parts.length != 3) throw new ImapSyntaxException("The PLAIN response must be authzid NUL authcid NUL password (RFC 4616)");
        return parts;
    }

    /** Why no login may be tried now, or null: already logged in, or no TLS yet. */
    private String refusal(String withoutTls) {
        if (s.mailbox != null) return "BAD Already logged in";
        return s.tls() ? null : "NO [PRIVACYREQUIRED] " + withoutTls;
    }

    private void logIn(String tag, String user, String password, String how) throws IOException {
        String refusal = refusal("LOGIN is disabled until STARTTLS: no passwords without TLS");
        if (refusal != null) {
            s.send(tag + " " + refusal);
            return;
        }
        switch (login.attempt(user, password, s.clientIp, how)) {
            case Login.Result.Ok ok -> {
                s.loggedIn(ok.mailbox());
                s.ok(tag, "[CAPABILITY " + s.capabilities() + "] Logged in");
            }
            case Login.Result.Failed f -> s.no(tag, "[AUTHENTICATIONFAILED] Authentication failed");
            case Login.Result.Throttled t ->
                    s.no(tag, "[UNAVAILABLE] Too many failed logins from your address; try again later");
            case Login.Result.Busy b -> s.no(tag, "[UNAVAILABLE] Too many logins at once; try again in a moment");
        }
    }
}

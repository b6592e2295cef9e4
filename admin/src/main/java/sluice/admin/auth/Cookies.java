package sluice.admin.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * The session cookie: reading it from a {@code Cookie} header and writing its {@code Set-Cookie}.
 *
 * <p>Cookies do not isolate hosts of one domain or ports of one host: a sibling host (with
 * {@code Domain=}) or a server on another port can plant a {@code sluice_session} of the attacker's own
 * account with a narrower {@code Path}, which the browser sends first, next to the victim's. So a request
 * that carries the session cookie more than once has no session ({@link #sessions} returns them all for
 * the caller to refuse), and over HTTPS the cookie is named {@value #SECURE_SESSION}: a browser keeps a
 * {@code __Host-} cookie only when this host set it Secure, with {@code Path=/} and no {@code Domain}
 * (RFC 6265bis section 4.1.3.2), and the unprefixed name is then not read at all.
 */
public final class Cookies {

    public static final String SESSION = "sluice_session";
    public static final String SECURE_SESSION = "__Host-" + SESSION;

    private Cookies() {
    }

    /** Every value of the session cookie in a {@code Cookie} request header (RFC 6265 section 5.4), in order. */
    public static List<String> sessions(String cookieHeader, boolean secure) {
        String name = name(secure);
        List<String> values = new ArrayList<>();
        if (cookieHeader == null) return values;
        for (String pair : cookieHeader.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equals(name)) values.add(pair.substring(eq + 1).strip());
        }
        return values;
    }

    /**
     * HttpOnly keeps it from scripts (an XSS cannot steal it); SameSite=Strict keeps browsers from sending
     * it with cross-site requests; Secure only when the admin API is reached over HTTPS, because on the
     * default plain-HTTP loopback listener a Secure cookie would never come back and login would fail.
     * No Max-Age: the browser forgets it when closed, and the server ends it after 12 hours anyway.
     */
    public static String session(String id, boolean secure) {
        return name(secure) + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Tells the browser to drop the cookie. */
    public static String expired(boolean secure) {
        return name(secure) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private static String name(boolean secure) {
        return secure ? SECURE_SESSION : SESSION;
    }
}

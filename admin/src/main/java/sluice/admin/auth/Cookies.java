package sluice.admin.auth;

import java.util.Optional;

/** The session cookie: reading it from a {@code Cookie} header and writing its {@code Set-Cookie}. */
public final class Cookies {

    public static final String SESSION = "sluice_session";

    private Cookies() {
    }

    /** The value of cookie {@code name} in a {@code Cookie} request header (RFC 6265 section 5.4). */
    public static Optional<String> value(String cookieHeader, String name) {
        if (cookieHeader == null) return Optional.empty();
        for (String pair : cookieHeader.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equals(name)) return Optional.of(pair.substring(eq + 1).strip());
        }
        return Optional.empty();
    }

    /**
     * HttpOnly keeps it from scripts (an XSS cannot steal it); SameSite=Strict keeps browsers from sending
     * it with cross-site requests; Secure only when the admin API is reached over HTTPS, because on the
     * default plain-HTTP loopback listener a Secure cookie would never come back and login would fail.
     * No Max-Age: the browser forgets it when closed, and the server ends it after 12 hours anyway.
     */
    public static String session(String id, boolean secure) {
        return SESSION + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Tells the browser to drop the cookie. */
    public static String expired(boolean secure) {
        return SESSION + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}

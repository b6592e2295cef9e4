package sluice.admin.testing;

import java.net.http.HttpRequest;

/**
 * A browser logged in through {@code POST /api/v1/session}: sends the session cookie with every
 * request and, unless told not to, the CSRF token with every change, as the web UI will.
 */
public final class Browser {

    private final AdminFixture api;
    public final String cookie;
    public final String csrfToken;

    private Browser(AdminFixture api, String cookie, String csrfToken) {
        this.api = api;
        this.cookie = cookie;
        this.csrfToken = csrfToken;
    }

    /** Logs in; fails the test unless the login succeeds. */
    public static Browser login(AdminFixture api, String username, String password) {
        AdminFixture.Reply reply = loginReply(api, username, password);
        if (reply.status() != 200) throw new AssertionError("login failed (" + reply.status() + "): " + reply.body());
        String setCookie = reply.header("Set-Cookie");
        return new Browser(api, setCookie.substring(0, setCookie.indexOf(';')), reply.json().get("csrfToken").asText());
    }

    public static AdminFixture.Reply loginReply(AdminFixture api, String username, String password) {
        return api.send("POST", "/api/v1/session", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    public AdminFixture.Reply send(String method, String path, String body) {
        return send(method, path, body, csrfToken);
    }

    /** {@code csrf} null sends no X-CSRF-Token header. */
    public AdminFixture.Reply send(String method, String path, String body, String csrf) {
        var builder = HttpRequest.newBuilder(api.uri(path)).header("Cookie", cookie)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) builder.header("Content-Type", "application/json");
        if (csrf != null) builder.header("X-CSRF-Token", csrf);
        return api.send(builder.build());
    }
}

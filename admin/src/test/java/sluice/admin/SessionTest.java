package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Sessions;
import sluice.admin.testing.AdminFixture;
import sluice.admin.testing.Browser;
import sluice.core.account.AdminRole;
import sluice.core.account.User;

import java.net.http.HttpRequest;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Logging in with a browser: the cookie, who-am-I, logout, expiry, and CSRF on every change. */
class SessionTest {

    private static final String PASSWORD = "correct horse battery";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String annId = api.user("ann", AdminRole.ORG_ADMIN, PASSWORD, contoso);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aLoginSetsAStrictHttpOnlyCookieAndAnswersTheCsrfToken() {
        var reply = Browser.loginReply(api, "ANN", PASSWORD);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Set-Cookie")).matches("sluice_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict");
        assertThat(reply.json().get("username").asText()).isEqualTo("ann");
        assertThat(reply.json().get("role").asText()).isEqualTo("OrgAdmin");
        assertThat(reply.json().get("organizationIds").get(0).asText()).isEqualTo(contoso);
        assertThat(reply.json().get("csrfToken").asText()).hasSize(43);
    }

    @Test
    void behindATlsProxyTheCookieIsSecure() {
        var reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/session")).header("Content-Type", "application/json")
                .header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ann\",\"password\":\"" + PASSWORD + "\"}")).build());

        assertThat(reply.header("Set-Cookie")).endsWith("; Secure");
    }

    @Test
    void aLoginBeyondTheCapEndsTheUsersLeastRecentlyUsedSession() {
        java.util.List<Browser> browsers = new java.util.ArrayList<>();
        for (int i = 0; i < Sessions.MAX_PER_USER; i++) browsers.add(Browser.login(api, "ann", PASSWORD));
        api.user("bob", AdminRole.ORG_ADMIN, PASSWORD, contoso);
        Browser bob = Browser.login(api, "bob", PASSWORD);

        browsers.add(Browser.login(api, "ann", PASSWORD));

        assertThat(browsers.getFirst().send("GET", "/api/v1/session", null).status()).isEqualTo(401);
        for (Browser b : browsers.subList(1, browsers.size()))
            assertThat(b.send("GET", "/api/v1/session", null).status()).isEqualTo(200);
        assertThat(bob.send("GET", "/api/v1/session", null).status()).as("another user's session").isEqualTo(200);

        // Used since, the oldest left goes on; the least recently used one ends instead.
        assertThat(browsers.get(1).send("GET", "/api/v1/organizations", null).status()).isEqualTo(200);
        browsers.add(Browser.login(api, "ann", PASSWORD));
        assertThat(browsers.get(2).send("GET", "/api/v1/session", null).status()).isEqualTo(401);
        assertThat(browsers.get(1).send("GET", "/api/v1/session", null).status()).isEqualTo(200);
    }

    @Test
    void theSessionSaysWhoIsCallingAndLogoutEndsIt() {
        Browser ann = Browser.login(api, "ann", PASSWORD);

        var me = ann.send("GET", "/api/v1/session", null);
        assertThat(me.json().get("username").asText()).isEqualTo("ann");
        assertThat(me.json().get("csrfToken").asText()).isEqualTo(ann.csrfToken);

        var logout = ann.send("DELETE", "/api/v1/session", null);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(ann.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
    }

    @Test
    void aSessionEndsAfterThirtyIdleMinutesAndAfterTwelveHoursWhateverTheActivity() {
        Browser idle = Browser.login(api, "ann", PASSWORD);
        api.clock.advance(Sessions.IDLE.minusSeconds(1));
        assertThat(idle.send("GET", "/api/v1/organizations", null).status()).isEqualTo(200);
        api.clock.advance(Sessions.IDLE.minusSeconds(1)); // idle time counts from the last request
        assertThat(idle.send("GET", "/api/v1/organizations", null).status()).isEqualTo(200);
        api.clock.advance(Sessions.IDLE);
        var expired = idle.send("GET", "/api/v1/organizations", null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("detail").asText()).contains("log in again");

        Browser busy = Browser.login(api, "ann", PASSWORD);
        for (Duration spent = Duration.ZERO; spent.compareTo(Sessions.ABSOLUTE) < 0; spent = spent.plusMinutes(20)) {
            assertThat(busy.send("GET", "/api/v1/session", null).status()).isEqualTo(200);
            api.clock.advance(Duration.ofMinutes(20));
        }
        assertThat(busy.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
    }

    @Test
    void aChangeWithTheCookieButWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        Browser ann = Browser.login(api, "ann", PASSWORD);
        String patch = "{\"name\": \"Hijacked\"}";

        var missing = ann.send("PATCH", "/api/v1/organizations/" + contoso, patch, null);
        // another first character (a token that starts with "x" made "x" + the rest the right token: 1 run in 64)
        String wrongToken = (ann.csrfToken.charAt(0) == 'x' ? "y" : "x") + ann.csrfToken.substring(1);
        var wrong = ann.send("PATCH", "/api/v1/organizations/" + contoso, patch, wrongToken);
        var logout = ann.send("DELETE", "/api/v1/session", null, null);

        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.json().get("detail").asText()).contains("X-CSRF-Token");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(logout.status()).isEqualTo(403);
        assertThat(api.directory.organization(contoso).orElseThrow().name()).isEqualTo("Contoso");

        var right = ann.send("PATCH", "/api/v1/organizations/" + contoso, "{\"name\": \"Contoso Ltd\"}");
        assertThat(right.status()).isEqualTo(200);
        assertThat(ann.send("GET", "/api/v1/organizations", null, null).status()).isEqualTo(200); // reads need none
    }

    @Test
    void anotherSessionsCsrfTokenDoesNotCount() {
        api.user("bob", AdminRole.ORG_ADMIN, PASSWORD, contoso);
        Browser ann = Browser.login(api, "ann", PASSWORD);
        Browser bob = Browser.login(api, "bob", PASSWORD);

        assertThat(ann.send("PATCH", "/api/v1/organizations/" + contoso, "{\"name\": \"X\"}", bob.csrfToken).status()).isEqualTo(403);
    }

    @Test
    void bearerRequestsNeedNoCsrfTokenEvenWithACookie() {
        Browser ann = Browser.login(api, "ann", PASSWORD);
        var reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/organizations/" + contoso)).header("Cookie", ann.cookie)
                .header("Authorization", "Bearer " + AdminFixture.ADMIN).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\": \"Contoso Ltd\"}")).build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/session").json().get("csrfToken").isNull()).isTrue();
    }

    @Test
    void disablingTheUserEndsItsSessions() {
        Browser ann = Browser.login(api, "ann", PASSWORD);
        api.patch("/api/v1/users/" + annId, "{\"enabled\": false}");

        assertThat(ann.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
        assertThat(Browser.loginReply(api, "ann", PASSWORD).status()).isEqualTo(401);
    }

    @Test
    void enablingTheUserAgainBringsBackItsTokensButNotItsSessions() {
        Browser ann = Browser.login(api, "ann", PASSWORD);
        String token = api.userToken(annId);
        api.patch("/api/v1/users/" + annId, "{\"enabled\": false}");
        assertThat(api.send("GET", "/api/v1/session", token, null).status()).isEqualTo(401);
        api.patch("/api/v1/users/" + annId, "{\"enabled\": true}");

        assertThat(ann.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
        assertThat(api.send("GET", "/api/v1/session", token, null).status())
                .as("a token is a stored credential: suspended while disabled, revoked only by DELETE").isEqualTo(200);
        assertThat(Browser.login(api, "ann", PASSWORD).send("GET", "/api/v1/session", null).status()).isEqualTo(200);
    }

    @Test
    void aSessionOpenedByALoginThatRacedTheDisableDoesNotComeBackWithTheAccount() {
        // the login has read ann as enabled when she is disabled, which ends the sessions she had then
        api.users.afterNextLookupByName.set(() -> assertThat(api.patch("/api/v1/users/" + annId, "{\"enabled\": false}").status())
                .isEqualTo(200));
        Browser raced = Browser.login(api, "ann", PASSWORD);
        assertThat(api.users.user(annId).orElseThrow().enabled()).isFalse();

        api.patch("/api/v1/users/" + annId, "{\"enabled\": true}");

        assertThat(raced.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
        assertThat(Browser.login(api, "ann", PASSWORD).send("GET", "/api/v1/session", null).status()).isEqualTo(200);
    }

    @Test
    void aLoginThatUpgradesThePasswordHashDoesNotUndoAChangeMadeMeanwhile() {
        String weak = new sluice.core.org.Passwords(32, 1, 1).hash(PASSWORD);
        String bobId = api.user("bob", AdminRole.HELPDESK, null, contoso);
        User bob = api.users.user(bobId).orElseThrow();
        api.users.update(bob.withPasswordHash(weak));
        // the login has read bob when he is disabled and made an organization administrator
        api.users.afterNextLookupByName.set(() -> assertThat(api.patch("/api/v1/users/" + bobId,
                "{\"enabled\": false, \"role\": \"OrgAdmin\"}").status()).isEqualTo(200));

        Browser.loginReply(api, "bob", PASSWORD);

        User stored = api.users.user(bobId).orElseThrow();
        assertThat(stored.enabled()).isFalse();
        assertThat(stored.role()).isEqualTo(AdminRole.ORG_ADMIN);
        assertThat(stored.passwordHash()).as("upgraded all the same").isNotEqualTo(weak);
        assertThat(Browser.loginReply(api, "bob", PASSWORD).status()).isEqualTo(401);
    }

    @Test
    void wrongPasswordUnknownUserAndDisabledAccountGetTheSameAnswer() {
        api.user("dis", AdminRole.ORG_ADMIN, PASSWORD, contoso);
        api.patch("/api/v1/users/" + api.users.userByName("dis").orElseThrow().id(), "{\"enabled\": false}");

        var wrong = Browser.loginReply(api, "ann", "not the password");
        var unknown = Browser.loginReply(api, "nobody", PASSWORD);
        var disabled = Browser.loginReply(api, "dis", PASSWORD);

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(disabled.body()).isEqualTo(wrong.body());
        assertThat(wrong.header("Set-Cookie")).isNull();
    }

    @Test
    void aLoginBodyIsSmallAndAnOverlongPasswordIsWrongWithoutBeingHashed() {
        var huge = Browser.loginReply(api, "ann", "x".repeat(9 * 1024));
        assertThat(huge.status()).as("anyone may call it, so it holds no megabytes").isEqualTo(413);
        var overlong = Browser.loginReply(api, "ann", PASSWORD + "x".repeat(sluice.admin.auth.Credentials.MAX_PASSWORD));
        assertThat(overlong.status()).isEqualTo(401);
        assertThat(overlong.body()).isEqualTo(Browser.loginReply(api, "ann", "not the password").body());
        assertThat(Browser.loginReply(api, "ann", PASSWORD).status()).isEqualTo(200);
    }
}

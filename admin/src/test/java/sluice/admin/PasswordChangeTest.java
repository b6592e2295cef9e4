package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.admin.testing.Browser;
import sluice.core.account.AdminRole;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new password ends the account's other browser sessions, whoever set it; only the session it was
 * changed in goes on. One's own password changes only with the current one. API tokens stay.
 */
class PasswordChangeTest {

    private static final String PASSWORD = "correct horse battery";
    private static final String NEW_PASSWORD = "a new and longer password";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String annId = api.user("ann", AdminRole.ORG_ADMIN, PASSWORD, contoso);
    private final String users = "/api/v1/users/" + annId;

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aPatchCannotSetOnesOwnPasswordWithoutTheCurrentOne() {
        Browser ann = Browser.login(api, "ann", PASSWORD);
        String token = api.userToken(annId);

        var bySession = ann.send("PATCH", users, "{\"password\": \"" + NEW_PASSWORD + "\"}");
        var byToken = api.send("PATCH", users, token, "{\"password\": \"" + NEW_PASSWORD + "\"}");

        for (var reply : java.util.List.of(bySession, byToken)) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/password");
            assertThat(reply.json().get("errors").get(0).get("detail").asText()).contains("/password", "current one");
        }
        assertThat(Browser.loginReply(api, "ann", NEW_PASSWORD).status()).isEqualTo(401);
        assertThat(ann.send("GET", "/api/v1/session", null).status()).isEqualTo(200);
    }

    @Test
    void aResetByAnAdministratorEndsTheUsersSessionsButNotItsTokens() {
        Browser laptop = Browser.login(api, "ann", PASSWORD);
        Browser phone = Browser.login(api, "ann", PASSWORD);
        String token = api.userToken(annId);

        assertThat(api.post(users + "/password", "{\"password\": \"" + NEW_PASSWORD + "\"}").status()).isEqualTo(204);

        assertThat(laptop.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
        assertThat(phone.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
        assertThat(api.send("GET", "/api/v1/session", token, null).status()).as("tokens are separate credentials").isEqualTo(200);
        assertThat(Browser.loginReply(api, "ann", NEW_PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aResetThroughPatchEndsTheSessionsToo() {
        Browser laptop = Browser.login(api, "ann", PASSWORD);

        assertThat(api.patch(users, "{\"password\": \"" + NEW_PASSWORD + "\"}").status()).isEqualTo(200);

        assertThat(laptop.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
    }

    @Test
    void changingOnesOwnPasswordKeepsThatSessionAndEndsTheOthers() {
        Browser laptop = Browser.login(api, "ann", PASSWORD);
        Browser forgotten = Browser.login(api, "ann", PASSWORD);

        var change = laptop.send("POST", users + "/password",
                "{\"password\": \"" + NEW_PASSWORD + "\", \"currentPassword\": \"" + PASSWORD + "\"}");

        assertThat(change.status()).isEqualTo(204);
        assertThat(laptop.send("GET", "/api/v1/session", null).status()).isEqualTo(200);
        assertThat(forgotten.send("GET", "/api/v1/session", null).status()).isEqualTo(401);
    }
}

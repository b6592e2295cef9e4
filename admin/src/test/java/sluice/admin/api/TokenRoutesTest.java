package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Secrets;
import sluice.admin.testing.AdminFixture;
import sluice.admin.testing.Browser;
import sluice.core.account.AdminRole;
import sluice.core.account.User;

import java.time.Duration;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenRoutesTest {

    private static final String PASSWORD = "correct horse battery";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");
    private final String annId = api.user("ann", AdminRole.ORG_ADMIN, PASSWORD, contoso);
    private final Browser ann = Browser.login(api, "ann", PASSWORD);

    @AfterEach
    void stop() {
        api.close();
    }

    private String create(String body) {
        var reply = ann.send("POST", "/api/v1/tokens", withPassword(body));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("secret").asText();
    }

    /** A session makes a token only with the account's password. */
    private static String withPassword(String body) {
        return "{\"currentPassword\": \"" + PASSWORD + "\", " + body.substring(1);
    }

    @Test
    void aSessionMakesATokenOnlyWithThePasswordATokenHolderWithout() {
        for (String body : List.of("{\"name\": \"ci\"}", "{\"name\": \"ci\", \"currentPassword\": \"wrong password here\"}")) {
            var refused = ann.send("POST", "/api/v1/tokens", body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/currentPassword");
        }
        assertThat(api.users.tokens(annId)).isEmpty();
        String secret = create("{\"name\": \"ci\"}");
        assertThat(api.send("POST", "/api/v1/tokens", secret, "{\"name\": \"backup\"}").status())
                .as("a token already is a credential").isEqualTo(201);
    }

    @Test
    void theSecretIsAnsweredOnceStoredOnlyAsItsDigestAndActsAsTheUser() {
        var reply = ann.send("POST", "/api/v1/tokens", withPassword("{\"name\": \"ci\", \"expiresAt\": \"2025-07-01T00:00:00Z\"}"));
        assertThat(reply.status()).isEqualTo(201);
        String secret = reply.json().get("secret").asText();
        String id = reply.json().get("id").asText();

        assertThat(secret).matches("slc_[A-Za-z0-9_-]{43}");
        assertThat(reply.json().get("username").asText()).isEqualTo("ann");
        assertThat(api.users.token(id).orElseThrow().secretHash()).isEqualTo(Secrets.digest(secret));
        var listed = ann.send("GET", "/api/v1/tokens", null);
        assertThat(listed.ids()).containsExactly(id);
        assertThat(listed.body()).doesNotContain(secret).doesNotContain("secret");
        assertThat(ann.send("GET", "/api/v1/tokens/" + id, null).body()).doesNotContain(secret);

        var asAnn = api.send("GET", "/api/v1/organizations", secret, null);
        assertThat(asAnn.status()).isEqualTo(200);
        assertThat(asAnn.ids()).containsExactly(contoso);
        assertThat(api.send("GET", "/api/v1/session", secret, null).json().get("username").asText()).isEqualTo("ann");
    }

    @Test
    void aRevokedTokenIsRefusedAtOnce() {
        String secret = create("{\"name\": \"ci\"}");
        String id = api.users.tokens(annId).getFirst().id();

        assertThat(api.send("DELETE", "/api/v1/tokens/" + id, secret, null).status()).isEqualTo(204);
        assertThat(api.send("GET", "/api/v1/organizations", secret, null).status()).isEqualTo(401);
    }

    @Test
    void disablingTheUserOrChangingItsRoleTakesEffectOnTheNextRequest() {
        String secret = create("{\"name\": \"ci\"}");
        String patch = "{\"name\": \"Renamed\"}";
        assertThat(api.send("PATCH", "/api/v1/organizations/" + contoso, secret, patch).status()).isEqualTo(200);

        api.patch("/api/v1/users/" + annId, "{\"role\": \"Helpdesk\"}");
        assertThat(api.send("PATCH", "/api/v1/organizations/" + contoso, secret, patch).status()).isEqualTo(403);

        api.patch("/api/v1/users/" + annId, "{\"organizationIds\": [\"%s\"]}".formatted(fabrikam));
        assertThat(api.send("GET", "/api/v1/organizations", secret, null).ids()).containsExactly(fabrikam);

        api.patch("/api/v1/users/" + annId, "{\"enabled\": false}");
        assertThat(api.send("GET", "/api/v1/organizations", secret, null).status()).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String secret = create("{\"name\": \"short-lived\", \"expiresAt\": \"2025-06-01T13:00:00Z\"}");
        assertThat(api.send("GET", "/api/v1/organizations", secret, null).status()).isEqualTo(200);

        api.clock.advance(Duration.ofHours(1));
        assertThat(api.send("GET", "/api/v1/organizations", secret, null).status()).isEqualTo(401);
    }

    @Test
    void badTokenRequestsAreExplained() {
        var past = ann.send("POST", "/api/v1/tokens", withPassword("{\"name\": \"x\", \"expiresAt\": \"2025-01-01T00:00:00Z\"}"));
        var garbled = ann.send("POST", "/api/v1/tokens", withPassword("{\"name\": \" \", \"expiresAt\": \"tomorrow\"}"));
        var bootstrap = api.post("/api/v1/tokens", "{\"name\": \"x\"}");

        assertThat(past.json().get("errors").get(0).get("detail").asText()).isEqualTo("must be in the future");
        assertThat(garbled.json().get("errors")).hasSize(2);
        assertThat(bootstrap.status()).isEqualTo(403);
        assertThat(bootstrap.json().get("detail").asText()).contains("POST /api/v1/users");
        assertThat(api.users.tokens(null)).isEmpty();
    }

    /** An expiry past year 9999, which Instant.parse takes up to a billion, is a field error, not a 500 from the store's milliseconds. */
    @Test
    void anExpiryBeyondYear9999IsAFieldError() {
        for (String far : List.of("+1000000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "+292278994-08-17T07:12:55.808Z")) {
            var reply = ann.send("POST", "/api/v1/tokens", withPassword("{\"name\": \"x\", \"expiresAt\": \"" + far + "\"}"));
            assertThat(reply.status()).as(far).isEqualTo(400);
            assertThat(reply.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/expiresAt");
            assertThat(reply.json().get("errors").get(0).get("detail").asText()).isEqualTo("must be an instant in the years 0000 to 9999");
        }
        assertThat(api.users.tokens(null)).isEmpty();
        assertThat(ann.send("POST", "/api/v1/tokens", withPassword("{\"name\": \"x\", \"expiresAt\": \"9999-12-31T23:59:59Z\"}"))
                .status()).isEqualTo(201);
    }

    @Test
    void aGlobalAdministratorListsEveryTokenAndAnotherUsersTokensStayPrivate() {
        create("{\"name\": \"ci\"}");
        String bobId = api.user("bob", AdminRole.ORG_ADMIN, PASSWORD, contoso);
        String bobToken = api.userToken(bobId);

        assertThat(api.get("/api/v1/tokens?all=true").ids()).hasSize(2);
        assertThat(api.get("/api/v1/tokens").ids()).isEmpty(); // the bootstrap token owns none
        assertThat(api.send("GET", "/api/v1/tokens", bobToken, null).json().get("items").get(0).get("username").asText())
                .isEqualTo("bob");
        assertThat(api.users.user(annId).map(User::enabled)).contains(true);
    }
}

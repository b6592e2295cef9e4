package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.BootstrapTokenAuthenticator;
import sluice.admin.testing.AdminFixture;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticationTest {

    private final AdminFixture api = new AdminFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aRequestWithoutATokenIsAskedForABearerToken() {
        var reply = api.send("GET", "/api/v1/organizations", null, null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"sluice\"");
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().get("title").asText()).isEqualTo("Unauthorized");
        assertThat(reply.json().get("status").asInt()).isEqualTo(401);
    }

    @Test
    void aWrongTokenIsRefusedAsInvalid() {
        var reply = api.send("GET", "/api/v1/organizations", "bootstrap-token-0123456789abcdeX", null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"sluice\", error=\"invalid_token\"");
        assertThat(reply.json().get("detail").asText()).contains("invalid");
    }

    @Test
    void anotherSchemeThanBearerIsRefused() {
        var reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/organizations"))
                .header("Authorization", "Basic " + AdminFixture.ADMIN).build());

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void unknownApiPathsNeedATokenBeforeTheyAre404SoRoutesCannotBeProbed() {
        assertThat(api.send("GET", "/api/v1/nothing-here", null, null).status()).isEqualTo(401);
        assertThat(api.send("GET", "/api/v1/nothing-here", AdminFixture.ADMIN, null).status()).isEqualTo(404);
    }

    @Test
    void theBootstrapTokenIsAGlobalAdministratorAndTheSchemeIsCaseInsensitive() {
        api.organization("Contoso");
        var reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/organizations"))
                .header("Authorization", "bearer " + AdminFixture.ADMIN).build());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("items")).hasSize(1);
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        assertThat(api.send("GET", "/healthz", null, null).status()).isEqualTo(200);
        assertThat(api.send("GET", "/metrics", null, null).status()).isEqualTo(200);
    }

    @Test
    void aShortBootstrapTokenIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new BootstrapTokenAuthenticator("admin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
    }
}

package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.BootstrapTokenAuthenticator;
import sluice.admin.testing.AdminFixture;

import java.net.http.HttpRequest;
import java.util.List;

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
    void aPercentEncodedPathIsTheRouteItDecodesToAndNeedsATokenLikeIt() {
        String org = api.organization("Contoso");
        for (String path : List.of("/%61pi/v1/organizations", "/api/v1/%6Frganizations", "/%61pi/v1/organizations/" + org,
                "/%61pi/v1/organizations/no-such-id", "/%61pi/v1/nothing-here", "/%61%70%69/v1/users"))
            assertThat(api.send("GET", path, null, null).status()).as(path).isEqualTo(401);
        // logging out changes state: without a caller it is refused before the handler, never a 500
        assertThat(api.send("DELETE", "/%61pi/v1/session", null, null).status()).isEqualTo(401);

        var reply = api.send("GET", "/%61pi/v1/organizations", AdminFixture.ADMIN, null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
    }

    @Test
    void aRouteOutsideTheApiNeedsATokenUnlessMarkedOpen() throws Exception {
        var router = new sluice.admin.http.Router().add("GET", "/internal", r -> sluice.admin.http.Response.ok(r.caller().name()));
        var dispatcher = new sluice.admin.http.Dispatcher(router, t -> java.util.Optional.empty(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), 1024);
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", dispatcher);
        server.start();
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            var reply = http.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/internal")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).isEqualTo(401);
        } finally {
            server.stop(0);
        }
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

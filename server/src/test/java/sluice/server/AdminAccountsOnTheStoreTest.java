package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.admin.auth.CookieSecurity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts, tokens and the audit log on the real store: a user created with the bootstrap token logs
 * in, creates an API token in its session, and the token and the audit log survive a restart.
 */
class AdminAccountsOnTheStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    /** admin.secureCookies reaches the admin server: the cookie is __Host- and Secure with no proxy header. */
    @Test
    void theNodesSecureCookiesOptionNamesTheCookie() throws Exception {
        NodeConfig config = TestNodes.config(dir, null, 9, Map.of()).withAdminCookies(new CookieSecurity(true, List.of()));
        try (Node node = Node.start(config); HttpClient http = HttpClient.newHttpClient()) {
            var user = TestNodes.admin(node).call("POST", "/api/v1/users", Map.of("username", "root", "role", "GlobalAdmin", "password", PASSWORD));
            assertThat(user.status()).as(user.body().toString()).isEqualTo(201);
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + "/api/v1/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("__Host-sluice_session=").endsWith("; Secure");
        }
    }

    @Test
    void aUsersTokenAndTheAuditLogSurviveARestart() throws Exception {
        NodeConfig config = TestNodes.config(dir, null, 9, Map.of());
        String secret;
        try (Node node = Node.start(config); HttpClient http = HttpClient.newHttpClient()) {
            Admin admin = TestNodes.admin(node);
            String org = admin.call("POST", "/api/v1/organizations", Map.of("name", "Contoso")).body().get("id").asText();
            var user = admin.call("POST", "/api/v1/users", Map.of("username", "ann", "role", "OrgAdmin",
                    "organizationIds", List.of(org), "password", PASSWORD));
            assertThat(user.status()).as(user.body().toString()).isEqualTo(201);

            URI base = URI.create("http://127.0.0.1:" + node.adminAddress().getPort());
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ann\",\"password\":\"" + PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String csrf = JSON.readTree(login.body()).get("csrfToken").asText();
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens"))
                    .header("Content-Type", "application/json").header("Cookie", cookie).header("X-CSRF-Token", csrf)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\",\"currentPassword\":\"" + PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
            secret = JSON.readTree(token.body()).get("secret").asText();
        }
        try (Node node = Node.start(config)) {
            Admin ann = new Admin("127.0.0.1", node.adminAddress().getPort(), secret);
            assertThat(ann.call("GET", "/api/v1/organizations", null).body().get("items")).hasSize(1);
            JsonNode audit = TestNodes.admin(node).call("GET", "/api/v1/audit", null).body().get("items");
            assertThat(audit.valueStream().map(e -> e.get("action").asText() + " by " + e.get("actor").asText()).toList())
                    .containsExactly("token.create by ann", "user.create by bootstrap token", "organization.create by bootstrap token");
        }
    }
}

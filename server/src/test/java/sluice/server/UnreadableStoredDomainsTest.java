package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DKIM key and a pending domain that an older version stored under a name the node now refuses
 * ({@code a·b.example}: a middle dot out of its context) never sign nor get verified, yet their
 * organization's administrator sees them in the API, marked unreadable, and deletes them; another
 * organization's administrator can do neither.
 */
class UnreadableStoredDomainsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";
    private static final String REFUSED_NAME = "a\u00b7b.example";

    @TempDir
    Path dir;

    @Test
    void theirOrganizationSeesThemMarkedUnreadableAndDeletesThemAndNoOtherOrganizationCan() throws Exception {
        NodeConfig config = TestNodes.config(dir, null, 9, Map.of());
        String contoso;
        String contosoToken;
        String fabrikamToken;
        try (Node node = Node.start(config)) {
            Admin root = TestNodes.admin(node);
            contoso = root.call("POST", "/api/v1/organizations", Map.of("name", "Contoso")).body().get("id").asText();
            String fabrikam = root.call("POST", "/api/v1/organizations", Map.of("name", "Fabrikam")).body().get("id").asText();
            contosoToken = orgAdminToken(node, root, "ann", contoso);
            fabrikamToken = orgAdminToken(node, root, "bob", fabrikam);
        }
        writtenByAnOlderVersion(contoso);

        try (Node node = Node.start(config)) {
            Admin ann = new Admin("127.0.0.1", node.adminAddress().getPort(), contosoToken);
            Admin bob = new Admin("127.0.0.1", node.adminAddress().getPort(), fabrikamToken);

            JsonNode key = single(ann.get("/api/v1/dkim").get("items"));
            assertThat(key.get("id").asText()).isEqualTo("old-key");
            assertThat(key.get("organizationId").asText()).isEqualTo(contoso);
            assertThat(key.get("domainName").asText()).isEqualTo(REFUSED_NAME);
            assertThat(key.get("unreadable").asBoolean()).isTrue();
            assertThat(key.get("enabled").asBoolean()).isFalse();
            assertThat(key.get("note").asText()).startsWith("This DKIM key could not be read when the server started (invalid domain: "
                    + REFUSED_NAME + ") and never signs.");
            JsonNode domain = single(ann.get("/api/v1/domains").get("items"));
            assertThat(domain.get("id").asText()).isEqualTo("old-pending");
            assertThat(domain.get("domainName").asText()).isEqualTo(REFUSED_NAME);
            assertThat(domain.get("unreadable").asBoolean()).isTrue();
            assertThat(domain.get("note").asText()).contains("could not be read");

            // another organization's administrator: not listed, and 404 as for any id out of scope
            assertThat(bob.get("/api/v1/dkim").get("items")).isEmpty();
            assertThat(bob.get("/api/v1/domains").get("items")).isEmpty();
            assertThat(bob.call("GET", "/api/v1/dkim/old-key", null).status()).isEqualTo(404);
            assertThat(bob.call("DELETE", "/api/v1/dkim/old-key", null).status()).isEqualTo(404);
            assertThat(bob.call("GET", "/api/v1/domains/old-pending", null).status()).isEqualTo(404);
            assertThat(bob.call("DELETE", "/api/v1/domains/old-pending", null).status()).isEqualTo(404);

            // never to be used: not enabled, rotated or verified
            assertThat(ann.call("PATCH", "/api/v1/dkim/old-key", Map.of("enabled", true)).status()).isEqualTo(409);
            assertThat(ann.call("POST", "/api/v1/dkim/old-key/rotate", Map.of()).status()).isEqualTo(409);
            assertThat(ann.call("POST", "/api/v1/domains/old-pending/verify", null).status()).isEqualTo(409);

            assertThat(ann.call("GET", "/api/v1/dkim/old-key", null).body().get("unreadable").asBoolean()).isTrue();
            assertThat(ann.call("DELETE", "/api/v1/dkim/old-key", null).status()).isEqualTo(204);
            assertThat(ann.call("DELETE", "/api/v1/domains/old-pending", null).status()).isEqualTo(204);
            assertThat(ann.get("/api/v1/dkim").get("items")).isEmpty();
            assertThat(ann.get("/api/v1/domains").get("items")).isEmpty();
        }
        assertThat(rows("SELECT count(*) FROM dkim_keys") + rows("SELECT count(*) FROM pending_domains")).as("deleted from the database").isZero();
    }

    private static JsonNode single(JsonNode items) {
        assertThat(items).as(items.toString()).hasSize(1);
        return items.get(0);
    }

    /** An organization administrator of {@code organizationId}: logs in with a password and makes itself an API token. */
    private static String orgAdminToken(Node node, Admin root, String username, String organizationId) throws Exception {
        var user = root.call("POST", "/api/v1/users", Map.of("username", username, "role", "OrgAdmin",
                "organizationIds", List.of(organizationId), "password", PASSWORD));
        assertThat(user.status()).as(user.body().toString()).isEqualTo(201);
        URI base = URI.create("http://127.0.0.1:" + node.adminAddress().getPort());
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("username", username, "password", PASSWORD))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens"))
                    .header("Content-Type", "application/json")
                    .header("Cookie", login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0])
                    .header("X-CSRF-Token", JSON.readTree(login.body()).get("csrfToken").asText())
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", "test", "currentPassword", PASSWORD))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
            return JSON.readTree(token.body()).get("secret").asText();
        }
    }

    /** The rows as a version that read domain names less strictly stored them, the node stopped. */
    private void writtenByAnOlderVersion(String organizationId) throws Exception {
        try (Connection c = database()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO dkim_keys (id, organization_id, domain, selector, key_type,"
                    + " private_key, dns_record, enabled, created_at) VALUES ('old-key', ?, ?, 'old', 'ED25519', 'pem', 'v=DKIM1; p=AA==', 1, 0)")) {
                s.setString(1, organizationId);
                s.setString(2, REFUSED_NAME);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO pending_domains (id, organization_id, domain, type,"
                    + " match_subdomains, token, created_at) VALUES ('old-pending', ?, ?, 'AUTHORITATIVE', 0, '0123abcd', 0)")) {
                s.setString(1, organizationId);
                s.setString(2, REFUSED_NAME);
                s.executeUpdate();
            }
        }
    }

    private int rows(String count) throws Exception {
        try (Connection c = database(); PreparedStatement s = c.prepareStatement(count); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sluice.db").toAbsolutePath());
    }
}

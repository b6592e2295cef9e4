package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DKIM key, a pending or accepted domain, a mailbox and an alias that an older version stored under a name the node
 * now refuses ({@code a·b.example}: a middle dot out of its context) never sign, receive mail nor get verified, yet
 * their organization's administrator sees them in the API, marked unreadable, and deletes them; another
 * organization's administrator can do neither. What they hold can be added again once they are deleted, not before.
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
        Organizations orgs;
        try (Node node = Node.start(config)) {
            orgs = organizations(node, TestNodes.admin(node));
        }
        String contoso = orgs.contoso();
        writtenByAnOlderVersion(contoso);

        try (Node node = Node.start(config)) {
            Admin ann = orgs.ann(node);
            Admin bob = orgs.bob(node);

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

    @Test
    void unreadableAcceptedDomainsMailboxesAndAliasesReceiveNoMailAndAreDeletedBeforeTheirNamesAreAddedAgain() throws Exception {
        NodeConfig config = TestNodes.config(dir, null, 9, Map.of());
        Organizations orgs;
        String bobMailbox;
        try (Node node = Node.start(config)) {
            Admin root = TestNodes.admin(node);
            orgs = organizations(node, root);
            root.post("/api/v1/domains", Map.of("organizationId", orgs.contoso(), "domainName", "contoso.example"));
            bobMailbox = root.post("/api/v1/mailboxes", Map.of("organizationId", orgs.contoso(), "address", "bob@contoso.example"))
                    .get("id").asText();
        }
        String contoso = orgs.contoso();
        try (Connection c = database()) {
            execute(c, "INSERT INTO accepted_domains (id, organization_id, domain, type, match_subdomains)"
                    + " VALUES ('old-domain', ?, ?, 'AUTHORITATIVE', 0)", contoso, REFUSED_NAME);
            // a name read as before, in a row refused now: only InternalRelay domains match subdomains
            execute(c, "INSERT INTO accepted_domains (id, organization_id, domain, type, match_subdomains)"
                    + " VALUES ('old-relay', ?, 'relay.example', 'AUTHORITATIVE', 1)", contoso);
            execute(c, "INSERT INTO mailboxes (id, organization_id, address, display_name, password_hash, quota_bytes)"
                    + " VALUES ('old-box', ?, ?, 'Ann', NULL, 0)", contoso, "ann@" + REFUSED_NAME);
            execute(c, "INSERT INTO mailbox_addresses (address_key, mailbox_id, address, position) VALUES (?, 'old-box', ?, 0),"
                    + " ('ann@contoso.example', 'old-box', 'ann@contoso.example', 1)", "ann@" + REFUSED_NAME, "ann@" + REFUSED_NAME);
            execute(c, "INSERT INTO mailbox_addresses (address_key, mailbox_id, address, position) VALUES (?, ?, ?, 1)",
                    "bob@" + REFUSED_NAME, bobMailbox, "Bob@" + REFUSED_NAME);
        }

        try (Node node = Node.start(config)) {
            Admin root = TestNodes.admin(node);
            Admin ann = orgs.ann(node);
            Admin bob = orgs.bob(node);
            assertThat(rcpt(node, "ann@contoso.example")).as("as an unknown address").isEqualTo("550 5.4.1 Recipient address rejected: Access denied");
            assertThat(rcpt(node, "bob@contoso.example")).startsWith("250 ");
            assertThat(rcpt(node, "x@sub.relay.example")).as("no relay for it").startsWith("550 5.7.64 ");

            JsonNode domains = ann.get("/api/v1/domains").get("items");
            assertThat(domains).extracting(d -> d.get("domainName").asText()).containsExactlyInAnyOrder("contoso.example", REFUSED_NAME, "relay.example");
            JsonNode refused = byId(domains, "old-domain");
            assertThat(refused.get("unreadable").asBoolean()).isTrue();
            assertThat(refused.get("note").asText()).isEqualTo("This accepted domain could not be read when the server started (invalid domain: "
                    + REFUSED_NAME + ") and receives no mail. Delete it, and add the domain again under its name as it is written today.");
            assertThat(byId(domains, "old-relay").get("unreadable").asBoolean()).isTrue();
            JsonNode mailboxes = ann.get("/api/v1/mailboxes").get("items");
            assertThat(mailboxes).hasSize(2);
            JsonNode box = byId(mailboxes, "old-box");
            assertThat(box.get("address").asText()).isEqualTo("ann@" + REFUSED_NAME);
            assertThat(box.get("unreadable").asBoolean()).isTrue();
            assertThat(box.get("note").asText()).startsWith("This mailbox could not be read when the server started (invalid domain: ");
            JsonNode alias = single(byId(mailboxes, bobMailbox).get("unreadableAliases"));
            assertThat(alias.get("address").asText()).isEqualTo("Bob@" + REFUSED_NAME);
            assertThat(alias.get("note").asText()).startsWith("This alias could not be read when the server started");
            assertThat(byId(mailboxes, bobMailbox).has("unreadable")).isFalse();

            // another organization's administrator: not listed, and 404 as for any id out of scope
            assertThat(bob.get("/api/v1/domains").get("items")).isEmpty();
            assertThat(bob.get("/api/v1/mailboxes").get("items")).isEmpty();
            for (String path : List.of("/api/v1/domains/old-domain", "/api/v1/mailboxes/old-box",
                    "/api/v1/mailboxes/" + bobMailbox + "/aliases/Bob@" + REFUSED_NAME)) {
                if (!path.contains("/aliases/")) assertThat(bob.call("GET", path, null).status()).isEqualTo(404);
                assertThat(bob.call("DELETE", path, null).status()).as(path).isEqualTo(404);
            }

            // not to be changed, and what they hold cannot be added again meanwhile: 409 naming them
            assertThat(ann.call("PATCH", "/api/v1/domains/old-relay", Map.of("domainType", "InternalRelay")).status()).isEqualTo(409);
            assertThat(ann.call("PATCH", "/api/v1/mailboxes/old-box", Map.of("displayName", "Ann")).status()).isEqualTo(409);
            Admin.Result again = root.call("POST", "/api/v1/domains", Map.of("organizationId", contoso, "domainName", "relay.example",
                    "domainType", "InternalRelay", "matchSubdomains", true));
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().get("detail").asText()).contains("held by the accepted domain old-relay").contains("delete it first");
            Admin.Result pendingAgain = ann.call("POST", "/api/v1/domains", Map.of("organizationId", contoso, "domainName", "relay.example"));
            assertThat(pendingAgain.status()).isEqualTo(409);
            assertThat(pendingAgain.body().get("detail").asText()).contains("old-relay");
            Admin.Result annAgain = ann.call("POST", "/api/v1/mailboxes", Map.of("organizationId", contoso, "address", "ann@contoso.example"));
            assertThat(annAgain.status()).isEqualTo(409);
            assertThat(annAgain.body().get("detail").asText()).contains("held by the mailbox old-box").contains("delete it first");

            // a change of the mailbox keeps its unreadable alias, which is deleted on its own
            assertThat(ann.patch("/api/v1/mailboxes/" + bobMailbox, Map.of("displayName", "Bob B")).get("unreadableAliases")).hasSize(1);
            assertThat(ann.call("DELETE", "/api/v1/mailboxes/" + bobMailbox + "/aliases/"
                    + URLEncoder.encode("Bob@" + REFUSED_NAME, StandardCharsets.UTF_8), null).status()).isEqualTo(204);
            assertThat(ann.get("/api/v1/mailboxes/" + bobMailbox).has("unreadableAliases")).isFalse();

            assertThat(ann.get("/api/v1/mailboxes/old-box").get("unreadable").asBoolean()).isTrue();
            assertThat(ann.call("DELETE", "/api/v1/mailboxes/old-box", null).status()).isEqualTo(204);
            assertThat(ann.call("DELETE", "/api/v1/domains/old-domain", null).status()).isEqualTo(204);
            assertThat(ann.call("DELETE", "/api/v1/domains/old-relay", null).status()).isEqualTo(204);
            assertThat(ann.get("/api/v1/domains").get("items")).extracting(d -> d.get("domainName").asText()).containsExactly("contoso.example");

            // added again, correctly, once deleted
            root.post("/api/v1/domains", Map.of("organizationId", contoso, "domainName", "relay.example",
                    "domainType", "InternalRelay", "matchSubdomains", true));
            ann.post("/api/v1/mailboxes", Map.of("organizationId", contoso, "address", "ann@contoso.example"));
            assertThat(rcpt(node, "ann@contoso.example")).startsWith("250 ");
        }
        assertThat(rows("SELECT count(*) FROM accepted_domains WHERE id LIKE 'old-%'") + rows("SELECT count(*) FROM mailboxes WHERE id = 'old-box'")
                + rows("SELECT count(*) FROM mailbox_addresses WHERE address_key LIKE '%" + REFUSED_NAME + "'")).as("deleted from the database").isZero();
    }

    @Test
    void anUnreadableDomainIsNotDeletedWhileItsMailboxesWouldGoToTheNextOwnerOfTheName() throws Exception {
        NodeConfig config = TestNodes.config(dir, null, 9, Map.of());
        Organizations orgs;
        String relayId, annMailbox;
        try (Node node = Node.start(config)) {
            Admin root = TestNodes.admin(node);
            orgs = organizations(node, root);
            relayId = root.post("/api/v1/domains", Map.of("organizationId", orgs.contoso(), "domainName", "relay.example",
                    "domainType", "InternalRelay", "matchSubdomains", true)).get("id").asText();
            annMailbox = root.post("/api/v1/mailboxes", Map.of("organizationId", orgs.contoso(), "address", "ann@relay.example"))
                    .get("id").asText();
        }
        try (Connection c = database()) { // an older version's Authoritative domain with matchSubdomains
            execute(c, "UPDATE accepted_domains SET type = 'AUTHORITATIVE' WHERE id = ?", relayId);
        }

        try (Node node = Node.start(config)) {
            Admin root = TestNodes.admin(node);
            Admin ann = orgs.ann(node);
            Admin.Result refused = ann.call("DELETE", "/api/v1/domains/" + relayId, null);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().get("detail").asText()).contains("would leave address ann@relay.example of mailbox " + annMailbox);
            assertThat(root.call("POST", "/api/v1/domains", Map.of("organizationId", orgs.fabrikam(), "domainName", "relay.example"))
                    .status()).isEqualTo(409);

            // the repair: the mailbox first, then the domain; the name is free for another organization
            assertThat(ann.call("DELETE", "/api/v1/mailboxes/" + annMailbox, null).status()).isEqualTo(204);
            assertThat(ann.call("DELETE", "/api/v1/domains/" + relayId, null).status()).isEqualTo(204);
            assertThat(root.call("POST", "/api/v1/domains", Map.of("organizationId", orgs.fabrikam(), "domainName", "relay.example"))
                    .status()).isEqualTo(201);
            assertThat(rcpt(node, "ann@relay.example")).as("Fabrikam's, with no mailbox ann")
                    .isEqualTo("550 5.4.1 Recipient address rejected: Access denied");
            assertThat(orgs.bob(node).call("POST", "/api/v1/mailboxes", Map.of("organizationId", orgs.fabrikam(),
                    "address", "ann@relay.example")).status()).isEqualTo(201);
            assertThat(rcpt(node, "ann@relay.example")).startsWith("250 ");
        }
    }

    /** Contoso and Fabrikam, each with an organization administrator (ann, bob) whose API tokens outlive the node. */
    private record Organizations(String contoso, String fabrikam, String contosoToken, String fabrikamToken) {
        Admin ann(Node node) {
            return new Admin("127.0.0.1", node.adminAddress().getPort(), contosoToken);
        }

        Admin bob(Node node) {
            return new Admin("127.0.0.1", node.adminAddress().getPort(), fabrikamToken);
        }
    }

    private static Organizations organizations(Node node, Admin root) throws Exception {
        String contoso = root.call("POST", "/api/v1/organizations", Map.of("name", "Contoso")).body().get("id").asText();
        String fabrikam = root.call("POST", "/api/v1/organizations", Map.of("name", "Fabrikam")).body().get("id").asText();
        return new Organizations(contoso, fabrikam, orgAdminToken(node, root, "ann", contoso), orgAdminToken(node, root, "bob", fabrikam));
    }

    private static String rcpt(Node node, String address) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("mail.fabrikam.example");
            assertThat(c.cmd("MAIL FROM:<alice@fabrikam.example>")).startsWith("250 ");
            String reply = c.cmd("RCPT TO:<" + address + ">");
            c.quit();
            return reply;
        }
    }

    private static JsonNode byId(JsonNode items, String id) {
        for (JsonNode item : items) if (item.get("id").asText().equals(id)) return item;
        throw new AssertionError("no " + id + " in " + items);
    }

    private static void execute(Connection c, String sql, String... args) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setString(i + 1, args[i]);
            s.executeUpdate();
        }
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

package sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice user}, {@code token}, {@code audit} and {@code stats}: accounts made with the CLI log
 * in through the API, tokens made with it authenticate until removed, and the audit log and mail flow
 * show what the test did. Ordered: later steps use what earlier ones created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminAccountsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE_PASSWORD = "correct horse battery staple";
    private static final String OPS_PASSWORD = "tr0ub4dor and three more words";

    private CliNode node;
    private String orgId;
    private String opsSecret;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        node = CliNode.start(dir);
        CliNode.Run org = ok(node.sluice("organization", "new", "--name", "Contoso", "-o", "json"));
        orgId = JSON.readTree(org.out()).path("id").asText();
        ok(node.sluice("domain", "new", "--name", "contoso.test"));
        ok(node.sluice("mailbox", "new", "--address", "alice@contoso.test"));
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    @Test
    @Order(1)
    void helpListsTheNewNouns() {
        CliNode.Run r = node.sluice("--help");
        assertThat(r.out()).contains("user", "token", "audit", "stats");
        assertThat(node.sluice("user", "new", "--help").out()).contains("--password-stdin", "--role", "--organization", "Example");
    }

    @Test
    @Order(2)
    void userNewSetsThePasswordTheApiLogsInWith() throws Exception {
        CliNode.Run r = node.sluiceWith(Map.of(), ALICE_PASSWORD + "\n", "user", "new", "--username", "alice",
                "--display-name", "Alice Liddell", "--role", "OrgAdmin", "--organization", "Contoso", "--password-stdin");
        ok(r);
        assertThat(r.out()).contains("Username", "alice", "Alice Liddell", "OrgAdmin", "Contoso").doesNotContain(ALICE_PASSWORD);
        assertThat(login("alice", ALICE_PASSWORD)).isEqualTo(200);
        assertThat(login("alice", "not the password at all")).isEqualTo(401);

        CliNode.Run list = ok(node.sluice("user", "list"));
        assertThat(list.out().lines().toList()).first().asString().startsWith("Username").contains("Role", "Organizations", "Enabled");
        assertThat(list.out()).contains("alice", "OrgAdmin", "Contoso", "Yes");
        JsonNode items = JSON.readTree(ok(node.sluice("user", "list", "--organization", "Contoso", "-o", "json")).out()).path("items");
        assertThat(items).hasSize(1);
        JsonNode alice = JSON.readTree(ok(node.sluice("user", "get", "alice", "-o", "json")).out());
        assertThat(alice.path("role").asText()).isEqualTo("OrgAdmin");
        assertThat(alice.path("organizationIds").get(0).asText()).isEqualTo(orgId);
        assertThat(alice.path("passwordSet").asBoolean()).isTrue();
        assertThat(ok(node.sluice("user", "get", alice.path("id").asText())).out()).contains("alice");
    }

    @Test
    @Order(3)
    void roleAndOrganizationErrors() {
        CliNode.Run noOrg = node.sluice("user", "new", "--username", "bob", "--role", "OrgAdmin");
        assertThat(noOrg.exit()).as(noOrg.toString()).isEqualTo(1);
        assertThat(noOrg.err()).contains("--role OrgAdmin needs at least one --organization");

        CliNode.Run globalWithOrg = node.sluice("user", "new", "--username", "bob", "--role", "GlobalAdmin", "--organization", "Contoso");
        assertThat(globalWithOrg.exit()).isEqualTo(1);
        assertThat(globalWithOrg.err()).contains("GlobalAdmin administers every organization");

        CliNode.Run unknownOrg = node.sluice("user", "new", "--username", "bob", "--role", "Helpdesk", "--organization", "Nope");
        assertThat(unknownOrg.exit()).isEqualTo(1);
        assertThat(unknownOrg.err()).contains("there is no organization 'Nope'");

        CliNode.Run badRole = node.sluice("user", "new", "--username", "bob", "--role", "Superuser");
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("--role", "GlobalAdmin");

        CliNode.Run shortPassword = node.sluiceWith(Map.of(), "short\n", "user", "new", "--username", "bob",
                "--role", "GlobalAdmin", "--password-stdin");
        assertThat(shortPassword.exit()).isEqualTo(1);
        assertThat(shortPassword.err()).contains("password: must be");

        assertThat(node.sluice("user", "list").out()).doesNotContain("bob");
        CliNode.Run missing = node.sluice("user", "get", "nobody");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("there is no user 'nobody'");
    }

    @Test
    @Order(4)
    void userSetAndSetPassword() throws Exception {
        ok(node.sluice("user", "set", "alice", "--disabled"));
        assertThat(login("alice", ALICE_PASSWORD)).isEqualTo(401);
        JsonNode changed = JSON.readTree(ok(node.sluice("user", "set", "alice", "--enabled", "--role", "Helpdesk",
                "--display-name", "Alice L.", "-o", "json")).out());
        assertThat(changed.path("enabled").asBoolean()).isTrue();
        assertThat(changed.path("role").asText()).isEqualTo("Helpdesk");
        assertThat(changed.path("organizationIds").get(0).asText()).isEqualTo(orgId);
        assertThat(changed.path("displayName").asText()).isEqualTo("Alice L.");

        CliNode.Run removeLast = node.sluice("user", "set", "alice", "--remove-organization", "Contoso");
        assertThat(removeLast.exit()).isEqualTo(1);
        assertThat(removeLast.err()).contains("needs at least one --organization");

        String newPassword = "a brand new passphrase";
        CliNode.Run set = node.sluiceWith(Map.of(), newPassword + "\n", "user", "set-password", "alice", "--password-stdin");
        ok(set);
        assertThat(set.out()).contains("Set the password of user alice");
        assertThat(login("alice", newPassword)).isEqualTo(200);
        assertThat(login("alice", ALICE_PASSWORD)).isEqualTo(401);

        assertThat(node.sluice("user", "set-password", "alice").exit()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void tokenAuthenticatesUntilRemoved() throws Exception {
        ok(node.sluiceWith(Map.of(), OPS_PASSWORD + "\n", "user", "new", "--username", "ops", "--role", "GlobalAdmin",
                "--password-stdin"));

        CliNode.Run bootstrap = node.sluice("token", "new", "--name", "ci");
        assertThat(bootstrap.exit()).isEqualTo(1);
        assertThat(bootstrap.err()).contains("Tokens belong to users");

        CliNode.Run created = node.sluiceWith(Map.of(), OPS_PASSWORD + "\n", "token", "new", "--name", "ci",
                "--expires-at", "30d", "--username", "ops", "--password-stdin", "-o", "json");
        ok(created);
        JsonNode token = JSON.readTree(created.out());
        opsSecret = token.path("secret").asText();
        assertThat(opsSecret).isNotEmpty();
        assertThat(token.path("username").asText()).isEqualTo("ops");
        assertThat(token.path("expiresAt").asText()).isNotEmpty();

        CliNode.Run orgs = ok(node.sluice("organization", "list", "--token", opsSecret));
        assertThat(orgs.out()).contains("Contoso");

        // A second one, made with the first, in table form: the secret once, and the warning.
        CliNode.Run table = ok(node.sluice("token", "new", "--name", "backup", "--token", opsSecret));
        assertThat(table.out()).contains("Secret", "Store the secret now; it is not shown again", "Never");
        String backupSecret = table.out().lines().filter(l -> l.startsWith("Secret")).findFirst().orElseThrow()
                .replaceFirst("^Secret\\s*:\\s*", "");
        assertThat(ok(node.sluice("organization", "list", "--token", backupSecret)).out()).contains("Contoso");

        CliNode.Run list = ok(node.sluice("token", "list", "--token", opsSecret));
        assertThat(list.out()).contains("Name", "User", "Expires", "ci", "backup", "ops").doesNotContain(opsSecret);
        JsonNode all = JSON.readTree(ok(node.sluice("token", "list", "--user", "ops", "-o", "json")).out()).path("items");
        assertThat(all).hasSize(2);
        assertThat(all.toString()).doesNotContain(opsSecret);

        CliNode.Run removed = ok(node.sluice("token", "remove", "backup", "--token", opsSecret));
        assertThat(removed.out()).contains("Removed API token backup");
        CliNode.Run refused = node.sluice("organization", "list", "--token", backupSecret);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("the token was refused");
        assertThat(ok(node.sluice("organization", "list", "--token", opsSecret)).out()).contains("Contoso");

        CliNode.Run badExpiry = node.sluice("token", "new", "--name", "x", "--expires-at", "tomorrow", "--token", opsSecret);
        assertThat(badExpiry.exit()).isEqualTo(2);
    }

    @Test
    @Order(6)
    void auditListShowsWhoChangedWhat() throws Exception {
        ok(node.sluice("domain", "new", "--name", "fabrikam.test", "--token", opsSecret));

        CliNode.Run table = ok(node.sluice("audit", "list", "--from", "1h"));
        assertThat(table.out().lines().toList()).first().asString().startsWith("When").contains("Who", "Action", "Target", "Organization");
        assertThat(table.out()).contains("domain.create", "organization.create", "user.create", "ops", "bootstrap token", "Contoso");
        assertThat(table.out().lines().filter(l -> l.contains("domain.create") && l.contains("ops"))).hasSize(1);

        JsonNode items = JSON.readTree(ok(node.sluice("audit", "list", "--organization", "Contoso", "--limit", "50", "-o", "json"))
                .out()).path("items");
        assertThat(items).isNotEmpty();
        assertThat(items.findValuesAsText("action")).contains("domain.create", "mailbox.create");
        for (JsonNode e : items) assertThat(e.path("organizationId").asText()).isEqualTo(orgId);

        JsonNode one = JSON.readTree(ok(node.sluice("audit", "list", "--limit", "1", "-o", "json")).out()).path("items");
        assertThat(one).hasSize(1);
        assertThat(one.get(0).path("action").asText()).isEqualTo("domain.create");
        assertThat(one.get(0).path("actor").asText()).isEqualTo("ops");

        assertThat(ok(node.sluice("audit", "list", "--to", "1d")).out()).contains("No changes found");
        assertThat(node.sluice("audit", "list", "--from", "yesterday-ish").exit()).isEqualTo(2);
    }

    @Test
    @Order(7)
    void statsMailflowCountsAMessageSentOverSmtp() throws Exception {
        Smtp.send(node.smtpPort(), "sender@partner.example", "alice@contoso.test", "Counted");
        CliNode.Run json = poll(() -> node.sluice("stats", "mailflow", "--hours", "2", "-o", "json"),
                r -> r.exit() == 0 && r.out().contains("\"received\"") && received(r) >= 1);
        JsonNode flow = JSON.readTree(json.out());
        assertThat(flow.path("hours")).hasSize(2);
        assertThat(flow.path("totals").path("received").asLong()).isGreaterThanOrEqualTo(1);

        CliNode.Run table = ok(node.sluice("stats", "mailflow", "--organization", "Contoso", "--hours", "3"));
        assertThat(table.out().lines().toList()).first().asString().startsWith("Hour")
                .contains("Received", "Delivered", "Deferred", "Failed", "Rejected", "Quarantined");
        assertThat(table.out().lines().toList()).hasSize(2 + 3 + 1);
        String total = table.out().lines().toList().getLast();
        assertThat(total).startsWith("Total");
        assertThat(Long.parseLong(total.split("\\s+")[1])).isGreaterThanOrEqualTo(1);

        assertThat(node.sluice("stats", "mailflow", "--hours", "1000").exit()).isEqualTo(1);
    }

    @Test
    @Order(8)
    void userRemove() {
        CliNode.Run r = ok(node.sluice("user", "remove", "alice"));
        assertThat(r.out()).contains("Removed user alice");
        assertThat(node.sluice("user", "list").out()).doesNotContain("alice").contains("ops");
    }

    private static long received(CliNode.Run r) {
        try {
            return JSON.readTree(r.out()).path("totals").path("received").asLong();
        } catch (Exception e) {
            return 0;
        }
    }

    /** {@code POST /api/v1/session}: the HTTP status of a login. */
    private int login(String username, String password) throws Exception {
        String body = JSON.writeValueAsString(Map.of("username", username, "password", password));
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + "/api/v1/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    private static CliNode.Run ok(CliNode.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static CliNode.Run poll(Supplier<CliNode.Run> run, Predicate<CliNode.Run> done) throws InterruptedException {
        CliNode.Run r = run.get();
        for (int i = 0; i < 100 && !done.test(r); i++) {
            Thread.sleep(100);
            r = run.get();
        }
        assertThat(done.test(r)).as(r.toString()).isTrue();
        return r;
    }
}

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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code policy}, {@code dkim} and {@code quarantine} against a node with one organization (so
 * {@code --organization} defaults to it). Ordered: the quarantine steps rely on the anti-malware
 * policy set before them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProtectionCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private CliNode node;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = CliNode.start(dir);
        ok(node.sluice("organization", "new", "--name", "Contoso"));
        ok(node.sluice("domain", "new", "--name", "contoso.test"));
        ok(node.sluice("mailbox", "new", "--address", "alice@contoso.test"));
        ok(node.sluice("mailbox", "new", "--address", "bob@contoso.test"));
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    @Test
    @Order(1)
    void helpListsTheNewNouns() {
        CliNode.Run r = node.sluice("--help");
        assertThat(r.out()).contains("policy", "dkim", "quarantine");
        assertThat(node.sluice("policy", "set-anti-spam", "--help").out())
                .contains("--spam-action", "--high-confidence-spam-scl", "MoveToJmf", "Example");
        assertThat(node.sluice("config", "export", "--help").out()).contains("DKIM keys are left out");
    }

    @Test
    @Order(2)
    void antiSpamPolicy() throws Exception {
        CliNode.Run get = node.sluice("policy", "get-anti-spam");
        assertThat(get.exit()).as(get.toString()).isZero();
        assertThat(get.out()).contains("SpamScl", ": 5", "SpamAction", "MoveToJmf", "QuarantineRetentionPeriod", "15 days",
                "ModifySubjectValue", "'[SPAM] '");

        CliNode.Run set = node.sluice("policy", "set-anti-spam", "--spam-scl", "6", "--spam-action", "ModifySubject",
                "--modify-subject-value", "[junk] ", "--spoof-action", "quarantine", "--quarantine-retention-period", "20",
                "-o", "json");
        assertThat(set.exit()).as(set.toString()).isZero();
        JsonNode p = JSON.readTree(set.out());
        assertThat(p.path("spamScl").asInt()).isEqualTo(6);
        assertThat(p.path("spamAction").asText()).isEqualTo("ModifySubject");
        assertThat(p.path("modifySubjectValue").asText()).isEqualTo("[junk] ");
        assertThat(p.path("spoofAction").asText()).isEqualTo("Quarantine");
        assertThat(p.path("highConfidenceSpamScl").asInt()).isEqualTo(7);   // untouched
        JsonNode again = JSON.readTree(node.sluice("policy", "get-anti-spam", "--organization", "Contoso", "-o", "json").out());
        assertThat(again).isEqualTo(p);

        CliNode.Run explode = node.sluice("policy", "set-anti-spam", "--spam-action", "Explode");
        assertThat(explode.exit()).isEqualTo(1);
        assertThat(explode.err()).contains("Bad Request", "spamAction: must be one of MoveToJmf, AddXHeader, ModifySubject,"
                + " Quarantine, Reject, NoAction").doesNotContain("Exception");
        CliNode.Run tooLong = node.sluice("policy", "set-anti-spam", "--quarantine-retention-period", "31");
        assertThat(tooLong.exit()).isEqualTo(1);
        assertThat(tooLong.err()).contains("quarantineRetentionPeriod: must be between 1 and 30 days");
        assertThat(node.sluice("policy", "set-anti-spam", "--spam-scl", "six").exit()).isEqualTo(2);
        assertThat(node.sluice("policy", "get-anti-spam", "--organization", "Fabrikam").err())
                .contains("there is no organization 'Fabrikam'");
    }

    @Test
    @Order(3)
    void connectionFilterPolicy() throws Exception {
        CliNode.Run set = node.sluice("policy", "set-connection-filter", "--ip-allow-list", "192.0.2.10,198.51.100.0/24");
        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(set.out()).contains("IpAllowList", "192.0.2.10, 198.51.100.0/24");

        CliNode.Run edit = node.sluice("policy", "set-connection-filter", "--remove-ip-allow", "192.0.2.10/32",
                "--add-ip-block", "203.0.113.7", "--add-ip-block", "2001:db8::/32", "-o", "json");
        assertThat(edit.exit()).as(edit.toString()).isZero();
        JsonNode p = JSON.readTree(edit.out());
        assertThat(p.path("ipAllowList").toString()).isEqualTo("[\"198.51.100.0/24\"]");
        assertThat(p.path("ipBlockList").toString()).isEqualTo("[\"203.0.113.7\",\"2001:db8::/32\"]");

        CliNode.Run table = node.sluice("policy", "get-connection-filter");
        assertThat(table.out()).contains("IpBlockList", "203.0.113.7, 2001:db8::/32");
        // Removed however it is spelled; adding what is there already changes nothing.
        JsonNode fewer = JSON.readTree(node.sluice("policy", "set-connection-filter", "--remove-ip-block", "2001:DB8::/32",
                "--add-ip-allow", "198.51.100.0/24", "-o", "json").out());
        assertThat(fewer.path("ipBlockList").toString()).isEqualTo("[\"203.0.113.7\"]");
        assertThat(fewer.path("ipAllowList").toString()).isEqualTo("[\"198.51.100.0/24\"]");

        CliNode.Run bad = node.sluice("policy", "set-connection-filter", "--ip-block-list", "not-an-ip");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("Bad Request", "ipBlockList");
        CliNode.Run both = node.sluice("policy", "set-connection-filter", "--ip-allow-list", "192.0.2.1", "--add-ip-allow", "192.0.2.2");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--ip-allow-list replaces the list");

        CliNode.Run cleared = node.sluice("policy", "set-connection-filter", "--ip-block-list", "", "-o", "json");
        assertThat(JSON.readTree(cleared.out()).path("ipBlockList")).isEmpty();
    }

    @Test
    @Order(4)
    void antiMalwarePolicy() throws Exception {
        CliNode.Run get = node.sluice("policy", "get-anti-malware");
        assertThat(get.out()).contains("EnableFileFilter", "true", "exe", "Action", "Reject", "30 days");

        CliNode.Run set = node.sluice("policy", "set-anti-malware", "--action", "Quarantine", "--quarantine-retention-period", "15",
                "--add-file-type", "ps1", "--remove-file-type", ".EXE", "-o", "json");
        assertThat(set.exit()).as(set.toString()).isZero();
        JsonNode p = JSON.readTree(set.out());
        assertThat(p.path("action").asText()).isEqualTo("Quarantine");
        assertThat(p.path("quarantineRetentionPeriod").asInt()).isEqualTo(15);
        List<String> types = new ArrayList<>();
        p.path("fileTypes").forEach(t -> types.add(t.asText()));
        assertThat(types).contains("ps1", "scr").doesNotContain("exe");

        CliNode.Run off = node.sluice("policy", "set-anti-malware", "--no-enable-file-filter");
        assertThat(off.out()).contains("EnableFileFilter", "false", "Quarantine");

        CliNode.Run bad = node.sluice("policy", "set-anti-malware", "--action", "Deliver");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("action: must be one of Reject, Quarantine");
    }

    @Test
    @Order(5)
    void dkimNewEnableRotateRemove() throws Exception {
        CliNode.Run created = node.sluice("dkim", "new", "--domain", "contoso.test", "--selector", "s1");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).contains("Selector", "s1", "Enabled", "No", "DNS record to publish for contoso.test:",
                "Name  : s1._domainkey.contoso.test", "Type  : TXT", "Value : v=DKIM1; k=rsa; p=MII");
        String id = JSON.readTree(node.sluice("dkim", "list", "-o", "json").out()).path("items").get(0).path("id").asText();
        assertThat(created.out()).contains("Publish this record, then: sluice dkim enable " + id);

        CliNode.Run get = node.sluice("dkim", "get", "contoso.test");
        assertThat(get.exit()).as(get.toString()).isZero();
        assertThat(get.out()).contains("s1._domainkey.contoso.test", "v=DKIM1; k=rsa", "sluice dkim enable " + id);
        JsonNode json = JSON.readTree(node.sluice("dkim", "get", id, "-o", "json").out());
        assertThat(json.path("dnsRecord").asText()).startsWith("v=DKIM1; k=rsa; p=");
        assertThat(json.path("keyType").asText()).isEqualTo("Rsa2048");
        assertThat(json.has("privateKey")).isFalse();

        CliNode.Run enabled = node.sluice("dkim", "enable", "s1._domainkey.contoso.test");
        assertThat(enabled.exit()).as(enabled.toString()).isZero();
        assertThat(enabled.out()).contains("Enabled DKIM key s1 of contoso.test");

        CliNode.Run rotated = node.sluice("dkim", "rotate", "contoso.test", "--key-type", "Ed25519");
        assertThat(rotated.exit()).as(rotated.toString()).isZero();
        assertThat(rotated.out()).contains("Value : v=DKIM1; k=ed25519; p=", "the old key s1 is disabled",
                "sluice dkim remove " + id);

        CliNode.Run list = node.sluice("dkim", "list");
        List<String> rows = list.out().lines().toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.getFirst()).contains("Domain", "Selector", "KeyType", "Enabled", "Created", "Organization", "Id");
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("s1 ", "Rsa2048", "No", "Contoso", id));
        assertThat(rows).anySatisfy(r -> assertThat(r).contains("sluice-", "Ed25519", "Yes", "Contoso"));
        JsonNode items = JSON.readTree(node.sluice("dkim", "list", "--domain", "contoso.test", "-o", "json").out()).path("items");
        assertThat(items).hasSize(2);
        for (JsonNode k : items)
            assertThat(k.path("enabled").asBoolean()).isEqualTo(!k.path("selector").asText().equals("s1"));

        CliNode.Run ambiguous = node.sluice("dkim", "get", "contoso.test");
        assertThat(ambiguous.exit()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("contoso.test has 2 DKIM keys; give the id or the DNS name", id, "(enabled)");

        assertThat(node.sluice("dkim", "disable", id).out()).contains("Disabled DKIM key s1");
        CliNode.Run removed = node.sluice("dkim", "remove", id);
        assertThat(removed.out()).contains("Removed DKIM key s1 of contoso.test.");
        assertThat(JSON.readTree(node.sluice("dkim", "list", "-o", "json").out()).path("items")).hasSize(1);

        CliNode.Run notAccepted = node.sluice("dkim", "new", "--domain", "elsewhere.example");
        assertThat(notAccepted.exit()).isEqualTo(1);
        assertThat(notAccepted.err()).contains("Bad Request", "domainName: is not an accepted domain");
        CliNode.Run badType = node.sluice("dkim", "new", "--domain", "contoso.test", "--key-type", "Dsa1024");
        assertThat(badType.exit()).isEqualTo(1);
        assertThat(badType.err()).contains("keyType: must be one of Rsa2048, Ed25519");
    }

    @Test
    @Order(6)
    void quarantineListPreviewReleaseRemove() throws Exception {
        assertThat(node.sluice("quarantine", "list").out()).contains("The quarantine is empty.");
        // The anti-malware action is Quarantine (step 4): the EICAR test file is accepted and held.
        String reply = Smtp.sendMessage(node.smtpPort(), "mallory@outside.example", "alice@contoso.test",
                "From: <mallory@outside.example>\r\nTo: <alice@contoso.test>\r\nSubject: invoice\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now()) + "\r\nMessage-ID: <eicar@outside.example>\r\n"
                        + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + EICAR + "\r\n");
        assertThat(reply).startsWith("250");

        CliNode.Run list = poll(() -> node.sluice("quarantine", "list"), r -> r.out().contains("invoice"));
        assertThat(list.out().lines().findFirst().orElseThrow()).contains("Received", "Sender", "Recipients", "Subject", "Reason",
                "Expires", "Released", "Id");
        assertThat(list.out()).contains("mallory@outside.example", "alice@contoso.test", "Malware", "No");
        JsonNode items = JSON.readTree(node.sluice("quarantine", "list", "--reason", "Malware", "--recipient", "alice@contoso.test",
                "--from", "1h", "-o", "json").out()).path("items");
        assertThat(items).hasSize(1);
        String id = items.get(0).path("id").asText();
        assertThat(node.sluice("quarantine", "list", "--sender", "nobody@outside.example").out()).contains("No quarantined messages found.");
        CliNode.Run badReason = node.sluice("quarantine", "list", "--reason", "Boredom");
        assertThat(badReason.exit()).isEqualTo(1);
        assertThat(badReason.err()).contains("Bad Request", "reason");

        CliNode.Run get = node.sluice("quarantine", "get", id);
        assertThat(get.exit()).as(get.toString()).isZero();
        assertThat(get.out()).contains("Id", id, "Reason", "Malware", "Details", "Subject", "invoice", "ExpiresAt");

        CliNode.Run preview = node.sluice("quarantine", "preview", id);
        assertThat(preview.exit()).as(preview.toString()).isZero();
        assertThat(preview.out()).contains("Subject: invoice", "From: <mallory@outside.example>", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE");
        assertThat(preview.out().lines().filter(l -> l.startsWith("Received: ")).findFirst().orElseThrow())
                .contains(" by mx.sluice.test").doesNotContain("?");   // a folded header on one line
        JsonNode previewJson = JSON.readTree(node.sluice("quarantine", "preview", id, "-o", "json").out());
        assertThat(previewJson.path("text").asText()).contains("EICAR-STANDARD");

        CliNode.Run notARecipient = node.sluice("quarantine", "release", id, "--recipient", "bob@contoso.test");
        assertThat(notARecipient.exit()).isEqualTo(1);
        assertThat(notARecipient.err()).contains("bob@contoso.test is not a recipient of this message");

        CliNode.Run released = node.sluice("quarantine", "release", id, "--recipient", "alice@contoso.test");
        assertThat(released.exit()).as(released.toString()).isZero();
        assertThat(released.out()).contains("Released " + id + " to alice@contoso.test (queue id ");
        JsonNode after = JSON.readTree(node.sluice("quarantine", "get", id, "-o", "json").out());
        assertThat(after.path("releasedTo").toString()).contains("alice@contoso.test");
        CliNode.Run twice = node.sluice("quarantine", "release", id);
        assertThat(twice.exit()).as(twice.toString()).isZero();
        assertThat(twice.out()).contains("Nothing released: " + id + " was already released to alice@contoso.test. "
                + "Add --again to release it to them again.");
        CliNode.Run again = node.sluice("quarantine", "release", id, "--again");
        assertThat(again.out()).contains("Released " + id + " to alice@contoso.test (queue id ");
        assertThat(node.sluice("quarantine", "list").out()).contains("Yes");

        CliNode.Run removed = node.sluice("quarantine", "remove", id);
        assertThat(removed.exit()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("Removed " + id + " from the quarantine.");
        CliNode.Run gone = node.sluice("quarantine", "get", id);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("Not Found", "is not in the quarantine");
        assertThat(node.sluice("quarantine", "preview", "nonsense").err()).contains("is not a quarantine id");
    }

    private static void ok(CliNode.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static CliNode.Run poll(Supplier<CliNode.Run> run, Predicate<CliNode.Run> done) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        CliNode.Run last;
        do {
            last = run.get();
            if (done.test(last)) return last;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("timed out; last: " + last);
    }
}

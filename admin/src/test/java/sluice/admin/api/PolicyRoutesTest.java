package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.SpamAction;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyRoutesTest {

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anOrganizationShowsTheDefaultsUntilItChangesThem() {
        var spam = api.get("/api/v1/policies/anti-spam/" + contoso).json();
        assertThat(spam.get("spamAction").asText()).isEqualTo("MoveToJmf");
        assertThat(spam.get("highConfidenceSpamAction").asText()).isEqualTo("Quarantine");
        assertThat(spam.get("dmarcRejectAction").asText()).isEqualTo("Reject");
        assertThat(spam.get("quarantineRetentionPeriod").asInt()).isEqualTo(15);
        var malware = api.get("/api/v1/policies/anti-malware/" + contoso).json();
        assertThat(malware.get("action").asText()).isEqualTo("Reject");
        assertThat(malware.get("fileTypes").toString()).contains("\"exe\"", "\"docm\"", "\"iso\"");
        assertThat(api.get("/api/v1/policies/connection-filter/" + contoso).json().get("ipBlockList").size()).isZero();
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndTheOrganizationOnly() {
        var changed = api.patch("/api/v1/policies/anti-spam/" + contoso, "{\"spamAction\": \"quarantine\", \"spamScl\": 6}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("spamAction").asText()).isEqualTo("Quarantine");
        AntiSpamPolicy stored = api.policies.antiSpam(contoso);
        assertThat(stored.spamAction()).isEqualTo(SpamAction.QUARANTINE);
        assertThat(stored.spamScl()).isEqualTo(6);
        assertThat(stored.highConfidenceSpamAction()).isEqualTo(AntiSpamPolicy.DEFAULT.highConfidenceSpamAction());
        assertThat(api.policies.antiSpam(fabrikam)).isEqualTo(AntiSpamPolicy.DEFAULT);

        var lists = api.patch("/api/v1/policies/connection-filter/" + contoso,
                "{\"ipAllowList\": [\"192.0.2.0/24\"], \"ipBlockList\": [\"2001:db8::1\"]}");
        assertThat(lists.status()).isEqualTo(200);
        assertThat(api.policies.connectionFilter(contoso).ipBlockList()).hasSize(1);

        var malware = api.patch("/api/v1/policies/anti-malware/" + contoso, "{\"action\": \"Quarantine\", \"fileTypes\": [\".EXE\", \"js\"]}");
        assertThat(malware.json().get("fileTypes").toString()).isEqualTo("[\"exe\",\"js\"]");
        assertThat(api.policies.antiMalware(contoso).quarantine()).isTrue();
    }

    @Test
    void invalidValuesAreAllReportedAndNothingChanges() {
        var bad = api.patch("/api/v1/policies/anti-spam/" + contoso,
                "{\"spamAction\": \"Explode\", \"quarantineRetentionPeriod\": 90}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("#/spamAction", "MoveToJmf", "#/quarantineRetentionPeriod");
        assertThat(api.patch("/api/v1/policies/anti-spam/" + contoso, "{\"spamScl\": 8, \"highConfidenceSpamScl\": 7}").status())
                .isEqualTo(400);
        assertThat(api.patch("/api/v1/policies/connection-filter/" + contoso, "{\"ipAllowList\": [\"mail.example\"]}").status())
                .isEqualTo(400);
        assertThat(api.patch("/api/v1/policies/anti-malware/" + contoso, "{\"action\": \"Deliver\"}").body())
                .contains("never delivered");
        assertThat(api.policies.antiSpam(contoso)).isEqualTo(AntiSpamPolicy.DEFAULT);
    }

    @Test
    void policiesAreScopedToTheCallersOrganizationAndHelpdeskMayOnlyRead() {
        String orgAdmin = api.tokenFor(Role.ORG_ADMIN, contoso);
        String helpdesk = api.tokenFor(Role.HELPDESK, contoso);
        assertThat(api.send("GET", "/api/v1/policies/anti-spam/" + fabrikam, orgAdmin, null).status()).isEqualTo(404);
        assertThat(api.send("PATCH", "/api/v1/policies/anti-spam/" + fabrikam, orgAdmin, "{\"spamScl\": 6}").status()).isEqualTo(404);
        assertThat(api.send("PATCH", "/api/v1/policies/anti-spam/" + contoso, orgAdmin, "{\"spamScl\": 6}").status()).isEqualTo(200);
        assertThat(api.send("GET", "/api/v1/policies/anti-malware/" + contoso, helpdesk, null).status()).isEqualTo(200);
        assertThat(api.send("PATCH", "/api/v1/policies/anti-malware/" + contoso, helpdesk, "{\"action\": \"Quarantine\"}").status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/policies/anti-spam/no-such-org").status()).isEqualTo(404);
    }

    @Test
    void junkAndNotJunkReportsTrainTheOrganizationsOwnModel() {
        String spam = "Subject: cheap pills\r\n\r\nbuy cheap pills now, best prices online\r\n";
        var r = api.post("/api/v1/policies/anti-spam/" + contoso + "/train",
                "{\"verdict\": \"Junk\", \"message\": \"" + spam.replace("\r\n", "\\r\\n") + "\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("spamMessages").asInt()).isEqualTo(1);
        api.post("/api/v1/policies/anti-spam/" + contoso + "/train", "{\"verdict\": \"NotJunk\", \"message\": \"Subject: lunch\\r\\n\\r\\nnoon?\"}");
        assertThat(api.overlays.get(contoso).hamMessages()).isEqualTo(1);
        assertThat(api.overlays).doesNotContainKey(fabrikam);
        assertThat(api.auditLog.all()).as("a user's mail is not kept in the audit log, which helpdesk reads")
                .extracting(sluice.core.account.AuditEntry::details).allSatisfy(d -> assertThat(d).doesNotContain("pills", "noon"))
                .anySatisfy(d -> assertThat(d).contains("characters of message content, not recorded"));

        var bad = api.post("/api/v1/policies/anti-spam/" + contoso + "/train", "{\"verdict\": \"Maybe\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("#/verdict", "#/message");
        var missing = api.post("/api/v1/policies/anti-spam/" + contoso + "/train", "{\"verdict\": \"Junk\", \"quarantineId\": \"nope\"}");
        assertThat(missing.body()).contains("no such quarantined message");
        String helpdesk = api.tokenFor(Role.HELPDESK, contoso);
        assertThat(api.send("POST", "/api/v1/policies/anti-spam/" + contoso + "/train", helpdesk,
                "{\"verdict\": \"Junk\", \"message\": \"x\"}").status()).isEqualTo(403);
    }
}

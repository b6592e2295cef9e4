package sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.dns.DnsStub;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice domain new} and {@code verify} as an organization administrator, against a running
 * node whose resolver is a DNS stub: the domain is pending and says which TXT record to publish,
 * verify fails clearly until it is published, then the domain is accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DomainVerifyCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery staple";

    DnsStub dns;
    CliNode node;
    String orgAdminToken;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        dns = DnsStub.start("127.0.0.1");
        node = CliNode.start(dir, dns.server());
        assertThat(node.sluice("organization", "new", "--name", "Contoso").exit()).isZero();
        assertThat(node.sluiceWith(Map.of(), PASSWORD + "\n", "user", "new", "--username", "carol", "--role", "OrgAdmin",
                "--organization", "Contoso", "--password-stdin").exit()).isZero();
        CliNode.Run token = node.sluiceWith(Map.of(), PASSWORD + "\n", "token", "new", "--name", "ops", "--username", "carol",
                "--password-stdin", "-o", "json");
        assertThat(token.exit()).as(token.toString()).isZero();
        orgAdminToken = JSON.readTree(token.out()).path("secret").asText();
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
        if (dns != null) dns.close();
    }

    private CliNode.Run asOrgAdmin(String... args) {
        return node.sluiceWith(Map.of("SLUICE_TOKEN", orgAdminToken), "", args);
    }

    @Test
    void aNewDomainIsPendingUntilItsTxtRecordIsPublished() throws Exception {
        CliNode.Run added = asOrgAdmin("domain", "new", "--name", "contoso.example");
        assertThat(added.exit()).as(added.toString()).isZero();
        assertThat(added.out()).contains("PendingVerification", "Publish this TXT record at contoso.example: sluice-verification=",
                "sluice domain verify contoso.example");
        String record = JSON.readTree(asOrgAdmin("domain", "get", "contoso.example", "-o", "json").out())
                .path("verificationRecord").asText();
        assertThat(asOrgAdmin("domain", "list").out()).contains("contoso.example", "PendingVerification");

        CliNode.Run early = asOrgAdmin("domain", "verify", "contoso.example");
        assertThat(early.exit()).isNotZero();
        assertThat(early.err()).contains("No TXT record", record);

        dns.txt("contoso.example", record);
        CliNode.Run verified = asOrgAdmin("domain", "verify", "contoso.example");
        assertThat(verified.exit()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("Verified");
        assertThat(asOrgAdmin("mailbox", "new", "--address", "ann@contoso.example").exit()).as("the domain now takes mailboxes").isZero();
    }
}

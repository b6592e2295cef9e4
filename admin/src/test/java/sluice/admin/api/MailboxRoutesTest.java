package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.Passwords;

import static org.assertj.core.api.Assertions.assertThat;

class MailboxRoutesTest {

    private static final String PASSWORD = "Tr0ub4dor&3-horse";

    private final AdminFixture api = new AdminFixture();
    private final String org = api.organization("Contoso");

    {
        api.domain(org, "contoso.example");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String create(String address) {
        var reply = api.post("/api/v1/mailboxes", """
                {"organizationId": "%s", "address": "%s", "aliases": ["Sales@contoso.example"],
                 "displayName": "Ann Smith", "password": "%s", "quotaBytes": 1000000}
                """.formatted(org, address, PASSWORD));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    @Test
    void createReadChangeAndDeleteAMailbox() {
        String id = create("Ann@Contoso.example");
        api.mailboxStore.append(id, MailboxStore.Folder.INBOX, new byte[1234], 0);

        var m = api.get("/api/v1/mailboxes/" + id).json();
        assertThat(m.get("address").asText()).isEqualTo("Ann@contoso.example");
        assertThat(m.get("aliases").get(0).asText()).isEqualTo("Sales@contoso.example");
        assertThat(m.get("displayName").asText()).isEqualTo("Ann Smith");
        assertThat(m.get("quotaBytes").asLong()).isEqualTo(1_000_000);
        assertThat(m.get("usageBytes").asLong()).isEqualTo(1234);
        assertThat(m.get("passwordSet").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/mailboxes?organizationId=" + org).ids()).containsExactly(id);

        var changed = api.patch("/api/v1/mailboxes/" + id, "{\"displayName\": \"Ann Jones\", \"aliases\": [], \"quotaBytes\": 0}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("displayName").asText()).isEqualTo("Ann Jones");
        assertThat(changed.json().get("aliases")).isEmpty();
        assertThat(changed.json().get("quotaBytes").asLong()).isZero();

        assertThat(api.delete("/api/v1/mailboxes/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/mailboxes/" + id).status()).isEqualTo(404);
    }

    @Test
    void thePasswordIsStoredAsAnArgon2idHashAndNeverAppearsInAnyResponse() {
        String id = create("ann@contoso.example");
        api.patch("/api/v1/mailboxes/" + id, "{\"password\": \"%s-new\"}".formatted(PASSWORD));
        api.get("/api/v1/mailboxes/" + id);
        api.get("/api/v1/mailboxes");
        api.post("/api/v1/mailboxes", "{\"organizationId\": \"%s\", \"address\": \"bob@contoso.example\", \"password\": 12345678}".formatted(org));

        String hash = api.directory.mailbox(id).orElseThrow().passwordHash();
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(Passwords.OWASP.verify(PASSWORD + "-new", hash)).isTrue();
        assertThat(api.bodies()).isNotEmpty().allSatisfy(body -> assertThat(body)
                .doesNotContain(PASSWORD).doesNotContain("argon2").doesNotContain("12345678")
                .doesNotContain("passwordHash"));
    }

    @Test
    void aTooShortPasswordIsRefusedWithoutEchoingIt() {
        var reply = api.post("/api/v1/mailboxes", """
                {"organizationId": "%s", "address": "ann@contoso.example", "password": "s3cr"}
                """.formatted(org));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").get(0).toString())
                .isEqualTo("{\"pointer\":\"#/password\",\"detail\":\"must be 8 to 256 characters\"}");
        assertThat(reply.body()).doesNotContain("s3cr");
    }

    @Test
    void everyAddressMustBeInAnAcceptedDomainOfTheMailboxsOwnOrganization() {
        String other = api.organization("Fabrikam");
        api.domain(other, "fabrikam.example");

        var reply = api.post("/api/v1/mailboxes", """
                {"organizationId": "%s", "address": "ann@fabrikam.example", "aliases": ["ann@contoso.example", "x@nowhere.example", "bad"]}
                """.formatted(org));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").toString())
                .contains("{\"pointer\":\"#/address\",\"detail\":\"domain fabrikam.example is not an accepted domain of the organization\"}")
                .contains("{\"pointer\":\"#/aliases/1\",\"detail\":\"domain nowhere.example is not an accepted domain of the organization\"}")
                .contains("{\"pointer\":\"#/aliases/2\",\"detail\":\"not an address: bad\"}")
                .doesNotContain("aliases/0");
    }

    @Test
    void aRepeatedAliasIsAFieldErrorAndAnAddressTakenByAnotherMailboxIsAConflict() {
        create("ann@contoso.example");

        var repeated = api.post("/api/v1/mailboxes", """
                {"organizationId": "%s", "address": "bob@contoso.example", "aliases": ["BOB@contoso.example"]}
                """.formatted(org));
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(repeated.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/aliases/0");

        var taken = api.post("/api/v1/mailboxes", """
                {"organizationId": "%s", "address": "sales@contoso.example"}
                """.formatted(org));
        assertThat(taken.status()).isEqualTo(409);
    }

    @Test
    void aNegativeQuotaIsAFieldErrorAndAnUnknownMailboxIs404() {
        var reply = api.post("/api/v1/mailboxes", """
                {"organizationId": "%s", "address": "ann@contoso.example", "quotaBytes": -1}
                """.formatted(org));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/quotaBytes");
        assertThat(api.get("/api/v1/mailboxes/nope").status()).isEqualTo(404);
        assertThat(api.patch("/api/v1/mailboxes/nope", "{}").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/mailboxes/nope").status()).isEqualTo(404);
    }

    @Test
    void withoutADisplayNameTheLocalPartIsUsedAndWithoutAPasswordNoneIsSet() {
        var reply = api.post("/api/v1/mailboxes", "{\"organizationId\": \"%s\", \"address\": \"info@contoso.example\"}".formatted(org));

        assertThat(reply.json().get("displayName").asText()).isEqualTo("info");
        assertThat(reply.json().get("passwordSet").asBoolean()).isFalse();
        assertThat(reply.json().get("usageBytes").asLong()).isZero();
    }
}

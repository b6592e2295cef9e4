package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.account.AdminRole;
import sluice.core.mail.Address;
import sluice.core.mail.Headers;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.quarantine.QuarantinedMessage;
import sluice.core.trace.TraceEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.admin.testing.AdminFixture.NOW;

/**
 * The quarantine API: search, metadata, safe preview, release (all or some recipients), delete, with
 * organization scoping (another tenant's entries are 404) and roles (helpdesk releases but does not delete).
 */
class QuarantineRoutesTest {

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");
    private final String orgAdmin = api.tokenFor(Role.ORG_ADMIN, contoso);
    private final String helpdesk = api.tokenFor(Role.HELPDESK, contoso);
    private final QuarantineEntry malware = hold(contoso, "ann@partner.example", QuarantineReason.MALWARE, 600,
            "bob@contoso.example", "carol@contoso.example");
    private final QuarantineEntry spam = hold(contoso, "bulk@spam.example", QuarantineReason.SPAM, 300, "bob@contoso.example");
    private final QuarantineEntry other = hold(fabrikam, "ann@partner.example", QuarantineReason.PHISH, 200, "dave@fabrikam.example");
    private final QuarantineEntry relay = hold(null, "x@relay.example", QuarantineReason.POLICY, 100, "e@elsewhere.example");

    private QuarantineEntry hold(String org, String sender, QuarantineReason reason, int secondsAgo, String... recipients) {
        byte[] content = ("From: " + sender + "\r\nSubject: about " + reason + "\r\nContent-Type: text/html\r\n\r\n"
                + "<p>Hello <script>steal()</script>friend</p>\r\n").getBytes(StandardCharsets.US_ASCII);
        var m = new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW.minusSeconds(secondsAgo), sender, org,
                null, null, "192.0.2.1", "mx.example", content, QueuedMessage.Origin.INTERNET, false, null, false);
        List<QueuedRecipient> to = new ArrayList<>();
        for (String r : recipients)
            to.add(new QueuedRecipient(m.id(), to.size(), Address.parse(r), Set.of(), null, QueuedRecipient.State.QUEUED, 0, NOW, null, false));
        return api.quarantine.quarantine(m, to, reason, "details of " + reason);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private AdminFixture.Reply as(String token, String method, String path, String body) {
        return api.send(method, path, token, body);
    }

    @Test
    void theListIsNewestFirstAndFiltersBySenderRecipientAndReason() {
        assertThat(api.get("/api/v1/quarantine").ids()).containsExactly(relay.id(), other.id(), spam.id(), malware.id());
        assertThat(api.get("/api/v1/quarantine?reason=Malware").ids()).containsExactly(malware.id());
        assertThat(api.get("/api/v1/quarantine?sender=ann@partner.example&organizationId=" + contoso).ids()).containsExactly(malware.id());
        assertThat(api.get("/api/v1/quarantine?recipient=bob@contoso.example").ids()).containsExactly(spam.id(), malware.id());
        assertThat(api.get("/api/v1/quarantine?limit=1").ids()).containsExactly(relay.id());
        assertThat(api.get("/api/v1/quarantine?reason=virus").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/quarantine?colour=red").status()).isEqualTo(400);
    }

    /** Years beyond 9999, which Instant.parse takes, would overflow the store's epoch milliseconds. */
    @Test
    void aTimeOutsideTheYears0000To9999Is400() {
        var reply = api.get("/api/v1/quarantine?to=%2B1000000000-01-01T00:00:00Z");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("detail").asText()).isEqualTo("Query parameter 'to' must be an instant in the years 0000 to 9999.");
    }

    @Test
    void oneEntryShowsItsMetadata() {
        var json = api.get("/api/v1/quarantine/" + malware.id()).json();

        assertThat(json.get("organizationId").asText()).isEqualTo(contoso);
        assertThat(json.get("reason").asText()).isEqualTo("Malware");
        assertThat(json.get("details").asText()).isEqualTo("details of MALWARE");
        assertThat(json.get("expiresAt").asText()).isEqualTo("2025-07-01T12:00:00Z");
        assertThat(json.get("recipients")).hasSize(2);
        assertThat(api.get("/api/v1/quarantine/" + malware.id().toLowerCase()).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/quarantine/not-an-id").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/quarantine/0123456789ABCDEF0123").status()).isEqualTo(404);
    }

    @Test
    void thePreviewIsHeadersAndTextNeverHtml() {
        var reply = api.get("/api/v1/quarantine/" + malware.id() + "/preview");

        assertThat(reply.header("Content-Type")).startsWith("application/json");
        var json = reply.json();
        assertThat(json.get("text").asText()).isEqualTo("Hello friend");
        assertThat(json.get("fromHtml").asBoolean()).isTrue();
        assertThat(json.get("headers").get(1).get("value").asText()).isEqualTo("about MALWARE");
        assertThat(reply.body()).doesNotContain("<script>", "<p>", "steal");
    }

    @Test
    void whoReleasedIsALabelWhenTheCallerCannotSeeTheAccount() {
        String root = api.userToken(api.user("root-admin", AdminRole.GLOBAL_ADMIN, null));
        var released = as(root, "POST", "/api/v1/quarantine/" + spam.id() + "/release", null);
        assertThat(released.status()).isEqualTo(200);
        // the copy's recipients and the organization's trace readers are shown the label too: that text cannot be mapped when read
        var copy = api.spool.message(new QueueId(released.json().get("queueId").asText())).orElseThrow();
        assertThat(Headers.first(copy.content(), "X-Sluice-Quarantine-Released")).startsWith("by Global administrator at ");
        assertThat(api.trace.events(spam.networkId().toString())).extracting(TraceEvent::detail)
                .anyMatch(d -> d != null && d.endsWith("by Global administrator")).noneMatch(d -> d != null && d.contains("root-admin"));

        var shown = as(helpdesk, "GET", "/api/v1/quarantine/" + spam.id(), null);
        assertThat(shown.json().get("releasedBy").asText()).isEqualTo("Global administrator");
        assertThat(as(helpdesk, "GET", "/api/v1/quarantine", null).body()).doesNotContain("root-admin");
        assertThat(as(root, "GET", "/api/v1/quarantine/" + spam.id(), null).json().get("releasedBy").asText()).isEqualTo("root-admin");
    }

    @Test
    void releaseToSomeRecipientsQueuesACopyForThemOnly() {
        var reply = as(orgAdmin, "POST", "/api/v1/quarantine/" + malware.id() + "/release", "{\"recipients\": [\"Carol@contoso.example\"]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("recipients").get(0).asText()).isEqualTo("carol@contoso.example");
        var copy = api.spool.message(new QueueId(reply.json().get("queueId").asText())).orElseThrow();
        assertThat(copy.networkId()).isEqualTo(malware.networkId());
        assertThat(Headers.first(copy.content(), "X-Sluice-Quarantine-Released")).startsWith("by ORG_ADMIN-");
        assertThat(api.spool.recipients(copy.id())).hasSize(1);
        assertThat(api.trace.events(malware.networkId().toString())).extracting(TraceEvent::type)
                .containsExactly(TraceEvent.Type.QUARANTINE, TraceEvent.Type.QUARANTINE, TraceEvent.Type.RELEASE);
        assertThat(api.get("/api/v1/quarantine/" + malware.id()).json().get("releasedTo").get(0).asText()).isEqualTo("carol@contoso.example");
    }

    @Test
    void releaseWithoutABodyGoesToEveryRecipientAndStrangersAreRefused() {
        var all = api.post("/api/v1/quarantine/" + malware.id() + "/release", null);
        assertThat(all.json().get("recipients")).hasSize(2);

        var stranger = api.post("/api/v1/quarantine/" + spam.id() + "/release", "{\"recipients\": [\"mallory@evil.example\"]}");
        assertThat(stranger.status()).isEqualTo(400);
        assertThat(stranger.json().get("errors").get(0).get("detail").asText())
                .isEqualTo("mallory@evil.example is not a recipient of this message");
        assertThat(api.post("/api/v1/quarantine/" + spam.id() + "/release", "{\"recipients\": [\"not an address\"]}").status()).isEqualTo(400);
        assertThat(api.spool.history()).hasSize(1);
    }

    @Test
    void aSecondReleaseSkipsThoseAlreadyReleasedUnlessAskedAgain() {
        String release = "/api/v1/quarantine/" + malware.id() + "/release";
        as(orgAdmin, "POST", release, "{\"recipients\": [\"carol@contoso.example\"]}");

        var rest = as(orgAdmin, "POST", release, null);
        var twice = as(orgAdmin, "POST", release, "{}");
        var again = as(orgAdmin, "POST", release, "{\"recipients\": [\"carol@contoso.example\"], \"again\": true}");

        assertThat(rest.json().get("recipients").toString()).isEqualTo("[\"bob@contoso.example\"]");
        assertThat(rest.json().get("alreadyReleased").toString()).isEqualTo("[\"carol@contoso.example\"]");
        assertThat(twice.status()).isEqualTo(200);
        assertThat(twice.json().get("queueId").isNull()).isTrue();
        assertThat(twice.json().get("recipients")).isEmpty();
        assertThat(twice.json().get("alreadyReleased").toString()).isEqualTo("[\"bob@contoso.example\",\"carol@contoso.example\"]");
        assertThat(again.json().get("recipients").toString()).isEqualTo("[\"carol@contoso.example\"]");
        assertThat(again.json().get("alreadyReleased")).isEmpty();
        assertThat(api.spool.history()).hasSize(3);
        assertThat(as(orgAdmin, "POST", release, "{\"again\": \"yes\"}").status()).isEqualTo(400);
    }

    @Test
    void anExpiredMessageIsNotReleasedBeforeThePurgeEither() {
        QuarantineEntry e = spam;
        var expired = new QuarantineEntry("0000000000000000000A", e.organizationId(), e.networkId(), e.receivedAt(), NOW,
                e.sender(), e.recipients(), e.reason(), e.details(), e.subject(), e.messageId(), e.size(), e.origin(), e.internal(),
                e.clientAddress(), e.heloName(), e.transportRuleConnector(), e.dsn(), List.of(), null, null, false);
        api.quarantine.hold(new QuarantinedMessage(expired, api.quarantine.content(e.id()).orElseThrow()));

        var refused = as(helpdesk, "POST", "/api/v1/quarantine/" + expired.id() + "/release", "{\"again\": true}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).isEqualTo("Message 0000000000000000000A expired at 2025-06-01T12:00:00Z "
                + "and can no longer be released; it will be deleted from the quarantine shortly.");
        assertThat(api.spool.history()).isEmpty();
    }

    @Test
    void helpdeskMayListPreviewAndReleaseButNotDelete() {
        assertThat(as(helpdesk, "GET", "/api/v1/quarantine", null).ids()).containsExactly(spam.id(), malware.id());
        assertThat(as(helpdesk, "GET", "/api/v1/quarantine/" + spam.id() + "/preview", null).status()).isEqualTo(200);
        assertThat(as(helpdesk, "POST", "/api/v1/quarantine/" + spam.id() + "/release", null).status()).isEqualTo(200);

        var delete = as(helpdesk, "DELETE", "/api/v1/quarantine/" + spam.id(), null);
        assertThat(delete.status()).isEqualTo(403);
        assertThat(api.quarantine.get(spam.id())).isPresent();

        assertThat(as(orgAdmin, "DELETE", "/api/v1/quarantine/" + spam.id(), null).status()).isEqualTo(204);
        assertThat(api.quarantine.get(spam.id())).isEmpty();
        assertThat(api.delete("/api/v1/quarantine/" + spam.id()).status()).isEqualTo(404);
    }

    @Test
    void malwareIsReleasedOnlyByARoleThatMayChange() {
        var refused = as(helpdesk, "POST", "/api/v1/quarantine/" + malware.id() + "/release", null);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("malware", "organization administrator");
        assertThat(api.spool.history()).isEmpty();

        assertThat(as(orgAdmin, "POST", "/api/v1/quarantine/" + malware.id() + "/release", null).status()).isEqualTo(200);
    }

    @Test
    void phishIsReleasedOnlyByARoleThatMayChange() {
        QuarantineEntry phish = hold(contoso, "ceo@contoso.example", QuarantineReason.PHISH, 50, "bob@contoso.example");
        var refused = as(helpdesk, "POST", "/api/v1/quarantine/" + phish.id() + "/release", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("phish", "organization administrator");
        assertThat(api.spool.history()).isEmpty();
        assertThat(as(helpdesk, "POST", "/api/v1/quarantine/" + spam.id() + "/release", null).status()).as("spam: yes").isEqualTo(200);
        assertThat(as(orgAdmin, "POST", "/api/v1/quarantine/" + phish.id() + "/release", null).status()).isEqualTo(200);
    }

    @Test
    void anotherOrganizationsQuarantineIsInvisible() {
        assertThat(as(orgAdmin, "GET", "/api/v1/quarantine", null).ids()).containsExactly(spam.id(), malware.id());
        assertThat(as(orgAdmin, "GET", "/api/v1/quarantine?organizationId=" + fabrikam, null).status()).isEqualTo(404);
        for (QuarantineEntry hidden : List.of(other, relay)) {
            String path = "/api/v1/quarantine/" + hidden.id();
            assertThat(as(orgAdmin, "GET", path, null).status()).as(path).isEqualTo(404);
            assertThat(as(orgAdmin, "GET", path + "/preview", null).status()).isEqualTo(404);
            assertThat(as(orgAdmin, "POST", path + "/release", null).status()).isEqualTo(404);
            assertThat(as(helpdesk, "POST", path + "/release", null).status()).isEqualTo(404);
            assertThat(as(orgAdmin, "DELETE", path, null).status()).isEqualTo(404);
        }
        assertThat(api.spool.history()).isEmpty();
        assertThat(api.quarantine.get(other.id())).isPresent();
    }
}

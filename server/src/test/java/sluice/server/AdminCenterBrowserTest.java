package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import sluice.smtp.testing.SmtpSink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web admin center in a real headless Chromium against a whole node: an administrator logs in,
 * creates an organization, an accepted domain and a mailbox, adds an outbound connector with the
 * wizard and validates it against a test smart host, finds a message sent over SMTP in the message
 * trace with its events, releases a quarantined message, suspends and resumes a deferred one in the
 * queue; a helpdesk user cannot edit connectors (no controls, and the API refuses). Screenshots of the
 * main pages at laptop and phone size go to {@code target/screenshots/}.
 *
 * <p>The steps build on each other (one node, one browser), in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminCenterBrowserTest {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final String PASSWORD = "a long admin password 42";
    static final Duration WAIT = Duration.ofSeconds(15);
    /** The heading of a page's search results (the live region the page fills), not of a preview beside them. */
    static final By RESULTS_HEADING = By.cssSelector("main div[aria-live] > h2");

    SmtpSink partner;
    Node node;
    Admin admin;
    HeadlessChromium chromium;
    String base;
    String org;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        HeadlessChromium.require();
        partner = SmtpSink.on("127.0.0.1").start();
        // retries every 5 minutes: the deferred message of the queue step waits still while it is worked on
        node = Node.start(TestNodes.withQueue(TestNodes.config(dataDir, null, partner.port(), Map.of()),
                Duration.ofMinutes(5), Duration.ofHours(24)));
        admin = TestNodes.admin(node);
        admin.post("/api/v1/users", Map.of("username", "ann", "displayName", "Ann Admin", "role", "GlobalAdmin", "password", PASSWORD));
        base = "http://" + node.adminAddress().getAddress().getHostAddress() + ":" + node.adminAddress().getPort() + "/";
        chromium = HeadlessChromium.start(Path.of("target", "screenshots"));
    }

    @AfterAll
    void stop() {
        if (chromium != null) chromium.close();
        if (node != null) node.close();
        if (partner != null) partner.close();
    }

    /** Logs out, creates {@code username} with {@code role} in Contoso, and logs in as it. */
    private void logInAsANewUserOfContoso(String username, String role, String roleShown) {
        admin.post("/api/v1/users", Map.of("username", username, "role", role, "organizationIds", List.of(org),
                "password", PASSWORD));
        chromium.click(By.id("logout"));
        chromium.waitForText(By.tagName("main"), "You have logged out.");
        logIn(username, PASSWORD);
        chromium.waitForText(By.id("who"), roleShown);
    }

    private void logIn(String username, String password) {
        chromium.driver.navigate().to(base);
        chromium.type(By.name("username"), username);
        chromium.type(By.name("password"), password);
        chromium.click(By.id("login-submit"));
    }

    @Test
    @Order(1)
    void aWrongPasswordIsExplainedAndTheRightOneLogsIn() {
        logIn("ann", "not the password at all");
        chromium.waitForText(By.id("login-error"), "The username or password is incorrect");

        chromium.type(By.name("password"), PASSWORD);
        chromium.click(By.id("login-submit"));

        chromium.waitForText(By.cssSelector("main h1"), "Dashboard");
        assertThat(chromium.visible(By.id("who")).getText()).contains("Ann Admin").contains("Global administrator");
    }

    @Test
    @Order(2)
    void anAdministratorCreatesAnOrganizationAnAcceptedDomainAndAMailbox() {
        chromium.open("domains", "Accepted domains");
        chromium.type(By.cssSelector("details input[name=name]"), "Contoso");
        chromium.click(By.xpath("//button[normalize-space()='Create organization']"));
        chromium.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("org-select"), "Contoso"));
        org = Admin.items(admin.get("/api/v1/organizations")).getFirst().path("id").asText();

        chromium.type(By.name("domainName"), "contoso.example");
        chromium.click(By.xpath("//button[normalize-space()='Add domain']"));
        chromium.waitForText(By.tagName("main"), "contoso.example");

        chromium.open("mailboxes", "Mailboxes");
        chromium.type(By.name("address"), "alice@contoso.example");
        chromium.type(By.name("displayName"), "Alice");
        chromium.type(By.name("password"), "alice's password");
        chromium.type(By.name("aliases"), "al@contoso.example");
        chromium.click(By.xpath("//button[normalize-space()='Create mailbox']"));
        chromium.waitForText(By.tagName("main"), "Mailbox alice@contoso.example created.");
        chromium.waitForText(By.tagName("main"), "al@contoso.example");

        JsonNode domain = Admin.items(admin.get("/api/v1/domains")).getFirst();
        assertThat(domain.path("domainName").asText()).isEqualTo("contoso.example");
        assertThat(domain.path("domainType").asText()).isEqualTo("Authoritative");
        JsonNode mailbox = Admin.items(admin.get("/api/v1/mailboxes")).getFirst();
        assertThat(mailbox.path("aliases").toString()).isEqualTo("[\"al@contoso.example\"]");
        assertThat(mailbox.path("passwordSet").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void theWizardCreatesAnOutboundConnectorAndValidatesItAgainstTheSmartHost() {
        chromium.open("connectors", "Connectors");
        chromium.click(By.id("add-connector"));
        chromium.waitForText(By.id("wizard-step"), "Mail flow");
        chromium.click(By.cssSelector("input[name=from][value=sluice]"));
        chromium.click(By.cssSelector("input[name=to][value=partner]"));
        chromium.click(By.id("wizard-next"));

        chromium.waitForText(By.id("wizard-step"), "Name");
        chromium.type(By.name("name"), "To Fabrikam");
        chromium.type(By.name("comment"), "Partner mail over TLS when offered");
        chromium.click(By.id("wizard-next"));

        chromium.waitForText(By.id("wizard-step"), "Use of connector");
        chromium.type(By.name("recipientDomains"), "fabrikam.example");
        chromium.click(By.id("wizard-next"));

        chromium.waitForText(By.id("wizard-step"), "Routing");
        chromium.click(By.cssSelector("input[name=hop][value=smarthosts]"));
        chromium.click(By.id("wizard-next"));
        chromium.waitForText(By.cssSelector(".wizard .alert"), "Add at least one smart host");
        chromium.type(By.name("smartHosts"), partner.hostPort());
        // the lab's partner runs on this machine: a global administrator must say so, or the API refuses the hop
        chromium.click(By.cssSelector("input[name=localHopsAllowed]"));
        chromium.click(By.id("wizard-next"));

        chromium.waitForText(By.id("wizard-step"), "Security");
        chromium.click(By.id("wizard-next"));

        chromium.waitForText(By.id("wizard-step"), "Review");
        assertThat(chromium.visible(By.cssSelector("dl.review")).getText())
                .contains("Partner organization", "fabrikam.example", partner.hostPort() + " (may be this node itself)", "Opportunistic");
        chromium.click(By.id("wizard-next"));

        chromium.waitForText(By.id("wizard-step"), "Validate");
        chromium.type(By.name("recipient"), "postmaster@fabrikam.example");
        chromium.click(By.id("validate-run"));
        String report = chromium.waitForText(By.id("validation-report"), "Succeeded");
        assertThat(report).contains(partner.hostPort()).contains("OK");
        chromium.screenshots("connector-wizard-validation");

        JsonNode connector = Admin.items(admin.get("/api/v1/connectors/outbound")).getFirst();
        assertThat(connector.path("name").asText()).isEqualTo("To Fabrikam");
        assertThat(connector.path("connectorType").asText()).isEqualTo("Partner");
        assertThat(connector.path("smartHosts").toString()).isEqualTo("[\"" + partner.hostPort() + "\"]");
        assertThat(connector.at("/lastValidation/succeeded").asBoolean()).isTrue();

        chromium.click(By.id("wizard-done"));
        chromium.waitForText(By.tagName("main"), "Validated");
        chromium.screenshots("connectors");
    }

    @Test
    @Order(4)
    void aMessageSentOverSmtpIsInTheTraceWithItsEventsAndTheRemoteReply() throws Exception {
        // the on-premises server at 127.0.0.1 may relay: mail for the partner goes out through the new connector
        admin.createInboundConnector(Map.of("organizationId", org, "name", "From on-premises", "connectorType", "OnPremises",
                "senderIpAddresses", List.of("127.0.0.1")));
        String reply = send("alice@contoso.example", "bob@fabrikam.example",
                "Subject: Quarterly figures\r\nMessage-ID: <q3@contoso.example>\r\n\r\nThe numbers are in.\r\n");
        assertThat(reply).startsWith("250");
        partner.awaitMessages(2, WAIT); // the validation's test message, then this one

        chromium.open("trace", "Message trace");
        chromium.type(By.name("recipient"), "bob@fabrikam.example");
        Poll.until(WAIT, "the message in the trace search", () -> {
            chromium.click(By.id("trace-search"));
            chromium.await().until(d -> d.findElements(By.cssSelector("#trace-results .progress")).isEmpty());
            return chromium.driver.findElement(By.id("trace-results")).getText();
        }, text -> text.contains("Quarterly figures") && text.contains("Delivered"));
        chromium.click(By.linkText("bob@fabrikam.example"));

        chromium.waitForText(By.cssSelector("main h1"), "Message trace details");
        String timeline = chromium.waitForText(By.cssSelector(".recipient-timeline"), "Send");
        assertThat(timeline).contains("bob@fabrikam.example", "Receive", "Send", "250");
        assertThat(chromium.driver.findElement(By.cssSelector(".recipient-timeline .remote-reply")).getText()).startsWith("250");
        assertThat(chromium.mainText()).contains("Quarterly figures", "<q3@contoso.example>");
        chromium.screenshots("trace-detail");

        // the CSV export quotes every cell and defuses what a spreadsheet would run as a formula
        Object cells = ((org.openqa.selenium.JavascriptExecutor) chromium.driver).executeAsyncScript("const done = arguments[0];"
                + "import('/ui/pages/trace.js').then(m => done(['=SUM(A1)', '+1', '-2', '@x', 'a \"b\"', 'plain'].map(m.csvCell).join(',')));");
        assertThat(cells).isEqualTo("\"'=SUM(A1)\",\"'+1\",\"'-2\",\"'@x\",\"a \"\"b\"\"\",\"plain\"");

        // a long result comes a page at a time: with pages of one row (shrunk here), "Load more" adds the next
        assertThat(send("alice@contoso.example", "bob@fabrikam.example", "Subject: Q4\r\n\r\nLater.\r\n")).startsWith("250");
        chromium.open("trace", "Message trace");
        var js = (org.openqa.selenium.JavascriptExecutor) chromium.driver;
        js.executeScript("window.realFetch = window.fetch;"
                + "window.fetch = (url, init) => window.realFetch(String(url).replace('limit=500', 'limit=1'), init);");
        Poll.until(WAIT, "a first page of one message", () -> {
            chromium.click(By.id("trace-search"));
            chromium.await().until(d -> d.findElements(By.cssSelector("#trace-results .progress")).isEmpty());
            return chromium.driver.findElement(By.cssSelector("#trace-results h2")).getText();
        }, text -> text.equals("1 result, more to load"));
        chromium.click(By.id("trace-more"));
        chromium.waitForText(By.cssSelector("#trace-results h2"), "2 results");
        assertThat(chromium.driver.findElements(By.cssSelector("#trace-results tbody tr"))).hasSize(2);

        // "Load more" answers are held until released: one arriving after another search was submitted is
        // dropped, so that search's error stays; and one for a page appended meanwhile is dropped, so the
        // page left and opened again with its own "Load more" clicked too does not show rows twice
        holdLoadMore(js, "limit=500");
        chromium.click(By.id("trace-search"));
        chromium.waitForText(By.cssSelector("#trace-results h2"), "1 result, more to load");
        loadMoreHeld(js, 1);
        js.executeScript("window.failSearch = true;");
        chromium.click(By.id("trace-search"));
        chromium.waitForText(By.cssSelector("#trace-results .alert"), "'limit'");
        releaseLoads(js);
        assertThat(chromium.driver.findElement(By.id("trace-results")).getText()).contains("'limit'").doesNotContain("result");
        assertThat(chromium.driver.findElements(By.cssSelector("#trace-results tbody tr"))).isEmpty();

        js.executeScript("window.failSearch = false;");
        chromium.click(By.id("trace-search"));
        chromium.waitForText(By.cssSelector("#trace-results h2"), "1 result, more to load");
        loadMoreHeld(js, 1);
        chromium.open("dashboard", "Dashboard");
        chromium.open("trace", "Message trace");
        chromium.waitForText(By.cssSelector("#trace-results h2"), "1 result, more to load");
        loadMoreHeld(js, 2);
        releaseLoads(js);
        chromium.waitForText(By.cssSelector("#trace-results h2"), "2 results");
        assertThat(chromium.driver.findElements(By.cssSelector("#trace-results tbody tr"))).hasSize(2);
        js.executeScript("window.fetch = window.realFetch;");
    }

    /** Clicks "Load more", whose request the test's fetch holds, and waits until {@code held} requests are held. */
    private void loadMoreHeld(org.openqa.selenium.JavascriptExecutor js, long held) {
        loadMoreHeld(js, "trace-more", held);
    }

    /** Clicks the "Load more" button {@code id}, whose request the test's fetch holds, and waits until {@code held} are held. */
    private void loadMoreHeld(org.openqa.selenium.JavascriptExecutor js, String id, long held) {
        chromium.await().until(d -> d.findElement(By.id(id)).isEnabled());
        js.executeScript("window.loads.push(document.getElementById(arguments[0]));", id);
        chromium.click(By.id(id));
        chromium.await().until(d -> held == (Long) js.executeScript("return window.held.length;"));
    }

    /** Lets the held "Load more" requests through and waits until every clicked button is done with its answer. */
    /**
     * From now on the page's searches ask for pages of one row ({@code pageSize}, the page's own limit,
     * replaced; by 0, an error, while {@code window.failSearch}), and the "Load more" requests are held
     * until {@link #releaseLoads}.
     */
    private static void holdLoadMore(org.openqa.selenium.JavascriptExecutor js, String pageSize) {
        js.executeScript("window.realFetch = window.realFetch || window.fetch;"
                + "window.held = []; window.loads = []; window.failSearch = false;"
                + "window.fetch = (url, init) => {"
                + "  const u = String(url).replace(arguments[0], window.failSearch ? 'limit=0' : 'limit=1');"
                + "  if (!u.includes('cursor=')) return window.realFetch(u, init);"
                + "  return new Promise((resolve) => window.held.push(() => resolve(window.realFetch(u, init))));"
                + "};", pageSize);
    }

    private void releaseLoads(org.openqa.selenium.JavascriptExecutor js) {
        js.executeScript("window.held.splice(0).forEach((release) => release());");
        chromium.await().until(d -> (Boolean) js.executeScript(
                "return window.loads.every((b) => !b.hasAttribute('aria-busy'));"));
    }

    @Test
    @Order(5)
    void aQuarantinedMessageIsPreviewedAsTextAndReleased() throws Exception {
        admin.patch("/api/v1/policies/anti-malware/" + org, Map.of("action", "Quarantine"));
        String reply = send("mallory@fabrikam.example", "alice@contoso.example", String.join("\r\n",
                "Subject: Invoice <b>overdue</b>", "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b1\"", "",
                "--b1", "Content-Type: text/html; charset=utf-8", "",
                "<p onclick=\"alert(1)\">Pay now</p><script>alert(2)</script>",
                "--b1", "Content-Type: text/plain; name=\"eicar.txt\"", "Content-Disposition: attachment; filename=\"eicar.txt\"", "",
                EICAR, "--b1--", ""));
        assertThat(reply).startsWith("250");

        chromium.open("quarantine", "Quarantine");
        Poll.until(WAIT, "the message in the quarantine", () -> {
            chromium.click(By.id("quarantine-search"));
            chromium.await().until(d -> d.findElements(By.cssSelector("main .progress")).isEmpty());
            return chromium.mainText();
        }, text -> text.contains("Invoice <b>overdue</b>"));
        chromium.click(By.xpath("//button[normalize-space()='Invoice <b>overdue</b>']"));
        WebElement preview = chromium.visible(By.id("quarantine-preview"));
        assertThat(preview.getText()).contains("Pay now");
        assertThat(chromium.driver.findElements(By.cssSelector("main p[onclick], main script, main b"))).as("nothing rendered as HTML").isEmpty();
        chromium.screenshots("quarantine");

        chromium.click(By.id("quarantine-release"));
        chromium.waitForText(By.tagName("main"), "Released to alice@contoso.example");
        chromium.click(By.id("quarantine-release")); // a second click delivers nothing more
        chromium.waitForText(By.tagName("main"), "Nothing released. Already released to alice@contoso.example, not again.");

        JsonNode held = Admin.items(admin.get("/api/v1/quarantine")).getFirst();
        assertThat(held.path("releasedTo").toString()).isEqualTo("[\"alice@contoso.example\"]");
        assertThat(held.path("releasedBy").asText()).isEqualTo("ann");

        // as in the trace, a "Load more" answer arriving after another search was submitted is dropped, and
        // one for a page appended meanwhile too: the page left and opened again shows no entry twice
        assertThat(send("mallory@fabrikam.example", "alice@contoso.example", String.join("\r\n", "Subject: Second",
                "MIME-Version: 1.0", "Content-Type: text/plain; name=\"eicar.txt\"", "", EICAR, ""))).startsWith("250");
        Poll.until(WAIT, "two held messages", () -> Admin.items(admin.get("/api/v1/quarantine")).size(), n -> n == 2);
        chromium.open("dashboard", "Dashboard"); // the quarantine page afresh, its preview closed
        chromium.open("quarantine", "Quarantine");
        var js = (org.openqa.selenium.JavascriptExecutor) chromium.driver;
        holdLoadMore(js, "limit=200");
        chromium.click(By.id("quarantine-search"));
        chromium.waitForText(RESULTS_HEADING, "1 held message, more to load");
        loadMoreHeld(js, "quarantine-more", 1);
        js.executeScript("window.failSearch = true;");
        chromium.click(By.id("quarantine-search"));
        chromium.waitForText(By.cssSelector("main .alert"), "'limit'");
        releaseLoads(js);
        assertThat(chromium.mainText()).contains("'limit'").doesNotContain("held message");

        js.executeScript("window.failSearch = false;");
        chromium.click(By.id("quarantine-search"));
        chromium.waitForText(RESULTS_HEADING, "1 held message, more to load");
        loadMoreHeld(js, "quarantine-more", 1);
        chromium.open("dashboard", "Dashboard");
        chromium.open("quarantine", "Quarantine");
        chromium.waitForText(RESULTS_HEADING, "1 held message, more to load");
        loadMoreHeld(js, "quarantine-more", 2);
        releaseLoads(js);
        chromium.waitForText(RESULTS_HEADING, "2 held messages");
        assertThat(chromium.driver.findElements(By.cssSelector("main tbody tr"))).hasSize(2);
        js.executeScript("window.fetch = window.realFetch;");
    }

    @Test
    @Order(6)
    void aDeferredMessageIsSuspendedAndResumedFromTheQueue() throws Exception {
        admin.createOutboundConnector(Map.of("organizationId", org, "name", "To the lab", "connectorType", "Partner",
                "recipientDomains", List.of("lab.example"), "smartHosts", List.of("127.0.0.1:1")));
        send("alice@contoso.example", "carol@lab.example", "Subject: Lab results\r\n\r\nSee attached.\r\n");

        // wait through the API: opening #/queue again while it is shown changes no hash, so the page would not reload
        Poll.until(WAIT, "the deferred message in the queue", () -> Admin.items(admin.get("/api/v1/queue")),
                items -> items.stream().anyMatch(m -> m.at("/recipients/0/address").asText().endsWith("@lab.example")
                        && !m.at("/recipients/0/lastReply").asText().isEmpty()));
        chromium.open("dashboard", "Dashboard");
        chromium.open("queue", "Queue");
        assertThat(chromium.mainText()).contains("lab.example", "Last error");
        chromium.screenshots("queue");

        chromium.click(By.cssSelector(".queue-destination button[data-action=suspend]"));
        chromium.waitForText(By.cssSelector(".queue-destination"), "Suspended");
        String id = Admin.items(admin.get("/api/v1/queue")).getFirst().path("id").asText();
        assertThat(admin.get("/api/v1/queue/" + id).at("/recipients/0/state").asText()).isEqualTo("Suspended");

        chromium.click(By.cssSelector(".queue-destination button[data-action=resume]"));
        chromium.await().until(d -> d.findElements(By.cssSelector(".queue-destination button[data-action=suspend]")).size() == 1);
        assertThat(admin.get("/api/v1/queue/" + id).at("/recipients/0/state").asText()).isEqualTo("Queued");
        assertThat(admin.get("/api/v1/queue/" + id).at("/recipients/0/attempts").asInt()).as("attempted again at once").isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(7)
    void theDashboardShowsTheDaysMailFlow() {
        chromium.open("dashboard", "Dashboard");
        chromium.waitForText(By.cssSelector(".legend"), "Received");
        assertThat(chromium.driver.findElements(By.cssSelector(".chart svg polyline"))).hasSize(6);
        assertThat(chromium.mainText()).contains("To Fabrikam", "Succeeded", "Quarantined", "In the queue");
        chromium.screenshots("dashboard");
    }

    @Test
    @Order(8)
    void aMailFlowRuleIsAddedTurnedOffAndListedWithWhatItDoes() {
        chromium.open("rules", "Mail flow rules");
        chromium.type(By.name("name"), "Tag external");
        chromium.type(By.name("actionValue"), "[EXT] ");
        chromium.click(By.xpath("//button[normalize-space()='Add rule']"));
        chromium.waitForText(By.tagName("main"), "Rule Tag external added at priority 0.");
        chromium.waitForText(By.tagName("main"), "prependSubject: [EXT]");
        chromium.click(By.xpath("//button[normalize-space()='Turn off']"));
        chromium.waitForText(By.xpath("//button[normalize-space()='Turn on']"), "Turn on");
        JsonNode rule = Admin.items(admin.get("/api/v1/rules")).getFirst();
        assertThat(rule.path("enabled").asBoolean()).isFalse();
        assertThat(rule.path("actions").path("prependSubject").asText()).isEqualTo("[EXT] ");
        admin.call("DELETE", "/api/v1/rules/" + rule.path("id").asText(), null);
    }

    @Test
    @Order(9)
    void anOrganizationAdministratorsNewDomainWaitsForItsTxtRecord() {
        logInAsANewUserOfContoso("olga", "OrgAdmin", "Organization administrator");

        chromium.open("domains", "Accepted domains");
        chromium.type(By.name("domainName"), "contoso.net");
        chromium.click(By.xpath("//button[normalize-space()='Add domain']"));
        chromium.waitForText(By.tagName("main"), "contoso.net was added. Publish its TXT record (below), then verify it.");
        chromium.waitForText(By.tagName("main"), "Pending verification");
        String record = Admin.items(admin.get("/api/v1/domains")).stream().map(d -> d.path("verificationRecord").asText())
                .filter(t -> t.startsWith("sluice-verification=")).findFirst().orElseThrow();
        assertThat(chromium.mainText()).contains(record);
        chromium.screenshots("domain-pending");

        // the node's resolver (127.0.0.1:9) answers nothing: the page says so, and the domain stays pending
        chromium.click(By.xpath("//button[normalize-space()='Verify']"));
        chromium.waitForText(By.tagName("main"), "The DNS lookup of contoso.net failed; try again later.");
        assertThat(Admin.items(admin.get("/api/v1/domains"))).extracting(d -> d.path("status").asText())
                .contains("PendingVerification");

        chromium.click(By.xpath("//tr[contains(., 'contoso.net')]//button[normalize-space()='Delete']"));
        chromium.await().until(d -> !chromium.mainText().contains("contoso.net"));
        assertThat(Admin.items(admin.get("/api/v1/domains"))).extracting(d -> d.path("domainName").asText())
                .containsExactly("contoso.example");
    }

    @Test
    @Order(10)
    void aHelpdeskUserCannotEditConnectorsAndTheApiRefuses() {
        logInAsANewUserOfContoso("hal", "Helpdesk", "Helpdesk");

        chromium.open("connectors", "Connectors");
        assertThat(chromium.mainText()).contains("To Fabrikam", "From on-premises");
        assertThat(chromium.driver.findElements(By.id("add-connector"))).isEmpty();
        assertThat(chromium.driver.findElements(By.xpath("//main//button[normalize-space()='Turn off' or normalize-space()='Delete']"))).isEmpty();
        assertThat(chromium.driver.findElements(By.linkText("Administrators"))).as("no accounts page for helpdesk").isEmpty();
        chromium.click(By.linkText("To Fabrikam"));
        chromium.visible(By.id("read-only"));
        assertThat(chromium.driver.findElements(By.id("wizard-next"))).isEmpty();

        String id = Admin.items(admin.get("/api/v1/connectors/outbound")).getFirst().path("id").asText();
        String answer = chromium.fetchInPage("PATCH", "/api/v1/connectors/outbound/" + id, "{\"enabled\":false}");
        assertThat(answer).startsWith("403 ").contains("may not change");
        assertThat(admin.get("/api/v1/connectors/outbound/" + id).path("enabled").asBoolean()).isTrue();
    }

    @Test
    @Order(11)
    void anEndedSessionSendsTheBrowserBackToTheLogin() {
        script("window.pageOfTheEndedSession = true");
        chromium.driver.manage().deleteAllCookies();
        chromium.click(By.linkText("Queue"));
        chromium.waitForText(By.tagName("main"), "Your session has expired or ended. Log in again to continue.");
        chromium.visible(By.id("login-submit"));
        assertThat(script("return window.pageOfTheEndedSession === undefined")).as("the page was loaded afresh").isEqualTo(true);
    }

    /** A reload, so no trace results or forms of this user stay in memory for the next; and a failed logout says so. */
    @Test
    @Order(12)
    void loggingOutLoadsThePageAfreshAndAFailedLogoutSaysItDidNotHappen() {
        logIn("ann", PASSWORD);
        chromium.waitForText(By.cssSelector("main h1"), "Dashboard");
        script("window.pageOfAnn = true; window.realFetch = window.fetch; window.fetch = (url, options) => "
                + "options && options.method === 'DELETE' ? Promise.reject(new TypeError('offline')) : window.realFetch(url, options)");

        chromium.click(By.id("logout"));
        chromium.waitForText(By.id("logout-error"), "Logging out failed, so you are still logged in.");
        assertThat(chromium.visible(By.id("who")).getText()).contains("Ann Admin");

        script("window.fetch = window.realFetch");
        chromium.click(By.id("logout"));
        chromium.waitForText(By.tagName("main"), "You have logged out.");
        assertThat(script("return window.pageOfAnn === undefined")).as("the page was loaded afresh").isEqualTo(true);
    }

    /**
     * Without __Host- (plain HTTP), a sibling host can set a second sluice_session the browser sends too. Every
     * request is then refused, and the login page must say why and what to do, not come back blank after
     * each login.
     */
    @Test
    @Order(13)
    void aPlantedSecondSessionCookieIsExplainedOnTheLoginPage() {
        logIn("ann", PASSWORD);
        chromium.waitForText(By.cssSelector("main h1"), "Dashboard");
        // a path of its own, as a sibling host's Domain= cookie would be: the browser keeps and sends both
        script("document.cookie = 'sluice_session=planted; Path=/api'");

        chromium.click(By.linkText("Queue"));
        chromium.waitForText(By.tagName("main"), "more than one session cookie");
        chromium.waitForText(By.tagName("main"), "Clear this site's cookies and log in again.");

        // the login works (it takes any number of cookies), but the next request is refused again: the page says so
        script("document.querySelector('main .info').remove()");
        chromium.type(By.name("username"), "ann");
        chromium.type(By.name("password"), PASSWORD);
        chromium.click(By.id("login-submit"));
        chromium.waitForText(By.tagName("main"), "more than one session cookie");
        chromium.visible(By.id("login-submit"));
        chromium.driver.manage().deleteAllCookies();
    }

    private Object script(String js) {
        return ((org.openqa.selenium.JavascriptExecutor) chromium.driver).executeScript(js);
    }

    private String send(String from, String to, String message) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("onprem.contoso.example");
            return c.send(from, List.of(to), message.getBytes(StandardCharsets.UTF_8));
        }
    }
}

package sluice.core.receive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.InboundMatcher;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Pipeline;
import sluice.core.filter.Stage;
import sluice.core.filter.Verdict;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.quarantine.QuarantineService;
import sluice.core.quarantine.QuarantinedMessage;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.route.Postmaster;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.rule.RuleActions;
import sluice.core.rule.RulePredicates;
import sluice.core.rule.TransportRule;
import sluice.core.rule.TransportRuleStage;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryDkimKeys;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemoryPolicies;
import sluice.core.testing.MemoryQuarantineStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MemoryTransportRules;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.trace.TraceEvent;
import sluice.smtp.Reply;
import sluice.smtp.client.TlsContexts;
import sluice.smtp.server.SmtpServer;
import sluice.smtp.server.SmtpServerConfig;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bifurcation over a real socket: an authenticated Contoso user writes to a colleague, to carol of
 * Fabrikam (another organization hosted here) and to someone on the internet in one transaction.
 * Every recipient is accepted; each organization's copy is decided by its own rules, stored,
 * refused (with an NDR to the sender), held or deferred as if it had come alone.
 */
class SubmissionToSeveralOrganizationsTest {

    private static final String PASSWORD = "correct horse";
    private static final String MESSAGE = "From: Alice <alice@contoso.example>\r\nTo: dave@contoso.example, carol@fabrikam.example,"
            + " partner@outside.example\r\nSubject: hi\r\nMessage-ID: <split-1@contoso.example>\r\n\r\nhello";

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryConnectors connectors = new MemoryConnectors();
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final MemoryMailboxStore mailboxes = new MemoryMailboxStore();
    private final MemoryPolicies policies = new MemoryPolicies();
    private final MemoryTransportRules rules = new MemoryTransportRules();
    private boolean quarantineFails;
    /** The content each organization's pipeline inspected, by organization id. */
    private final java.util.Map<String, String> inspected = new java.util.concurrent.ConcurrentHashMap<>();
    private final MemoryDkimKeys dkimKeys = new MemoryDkimKeys();
    private boolean fabrikamDefers;
    private SmtpServer submission;
    private Mailbox alice;
    private Mailbox dave;
    private Mailbox carol;

    @BeforeEach
    void start() throws Exception {
        var contoso = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        alice = directory.createMailbox(new Mailbox("", contoso.id(), Address.parse("alice@contoso.example"), List.of(), "Alice",
                Passwords.OWASP.hash(PASSWORD), 0));
        dave = directory.createMailbox(new Mailbox("", contoso.id(), Address.parse("dave@contoso.example"), List.of(), "Dave", null, 0));
        var fabrikam = directory.createOrganization("Fabrikam", false);
        directory.createAcceptedDomain(fabrikam.id(), Domain.of("fabrikam.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        carol = directory.createMailbox(new Mailbox("", fabrikam.id(), Address.parse("carol@fabrikam.example"), List.of(), "Carol", null, 0));
        Router router = new Router(directory, new OutboundSelector(connectors), StaticRoutes.none(),
                new Postmaster(Domain.of("mx.test"), null));
        RemoteDelivery holding = new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 later", "held for the test"));
        QueueRunner queue = new QueueRunner(spool, router, new MailboxDelivery(mailboxes), holding,
                new DsnBuilder("mx.test", ZoneOffset.UTC), trace, InstantSource.system(), Runnable::run, RetrySchedule.DEFAULT, 4, "mx.test");
        Quarantine quarantine = failing(new QuarantineService(new MemoryQuarantineStore(), spool, trace, InstantSource.system(),
                QuarantinePolicy.DEFAULT, queue::submit));
        Stage deferring = new Stage() {
            @Override public String name() { return "defers Fabrikam when asked"; }
            @Override public Optional<Verdict> inspect(Inspection m, Findings f) {
                inspected.put(m.organizationId(), new String(m.content(), StandardCharsets.UTF_8));
                return fabrikamDefers && carol.organizationId().equals(m.organizationId())
                        ? Optional.of(new Verdict.Defer(Reply.of(451, "4.7.500", "Server busy, try again later"), "test"))
                        : Optional.empty();
            }
        };
        Pipeline pipeline = new Pipeline(List.of(deferring,
                new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)), policies);
        Receiver receiver = new Receiver(router, directory, new InboundMatcher(connectors, TlsContexts.jdkTrust()), mailboxes, spool,
                queue, trace, InstantSource.system(), ZoneOffset.UTC, "mx.test", Passwords.OWASP, SubmissionLimits.DEFAULT,
                pipeline, quarantine, dkimKeys);
        submission = new SmtpServer(SmtpServerConfig.builder("mx.test").bindAddress(java.net.InetAddress.getByName("0.0.0.0"))
                .authEnabled(true).requireTlsForAuth(false).build(), receiver.submission()).start();
    }

    @AfterEach
    void stop() {
        submission.close();
    }

    /** The quarantine, failing while {@link #quarantineFails}. */
    private Quarantine failing(Quarantine q) {
        return new Quarantine() {
            @Override public QuarantineEntry quarantine(QueuedMessage m, List<QueuedRecipient> rs, QuarantineReason reason, String details) {
                if (quarantineFails) throw new IllegalStateException("quarantine store unavailable");
                return q.quarantine(m, rs, reason, details);
            }
            @Override public QuarantineEntry hold(QuarantinedMessage m) { return q.hold(m); }
            @Override public Page page(Query query) { return q.page(query); }
            @Override public Optional<QuarantineEntry> get(String id) { return q.get(id); }
            @Override public Optional<byte[]> content(String id) { return q.content(id); }
            @Override public Optional<Released> release(String id, List<Address> rs, String by, String shownAs, boolean again) {
                return q.release(id, rs, by, again);
            }
            @Override public boolean delete(String id) { return q.delete(id); }
            @Override public int purgeExpired(Instant now) { return q.purgeExpired(now); }
        };
    }

    private TransportRule rule(Mailbox of, String name, RuleActions actions) {
        return rules.create(new TransportRule("", of.organizationId(), name, 1, true, null, RulePredicates.NONE, RulePredicates.NONE, actions));
    }

    private static RuleActions prepend(String prefix) {
        return new RuleActions(null, false, false, null, null, null, null, prefix, null, false);
    }

    private static RuleActions reject(String text, String code) {
        return new RuleActions(new RuleActions.Rejection(text, code), false, false, null, null, null, null, null, null, false);
    }

    /** Alice sends {@link #MESSAGE} to dave, carol and partner; every RCPT must be taken. Returns the DATA reply. */
    private String sendToAll() throws Exception {
        try (WireClient c = new WireClient("127.0.0.1", submission.port())) {
            assertThat(c.authPlain("alice@contoso.example", PASSWORD)).startsWith("235");
            assertThat(c.send("MAIL FROM:<alice@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<dave@contoso.example>")).isEqualTo("250 2.1.5 Recipient OK");
            assertThat(c.send("RCPT TO:<carol@fabrikam.example>")).as("no 452 for an authenticated sender")
                    .isEqualTo("250 2.1.5 Recipient OK");
            assertThat(c.send("RCPT TO:<partner@outside.example>")).isEqualTo("250 2.1.5 Recipient OK");
            return c.data(MESSAGE);
        }
    }

    private String last(Mailbox m) {
        var list = mailboxes.list(m.id(), MailboxStore.Folder.INBOX);
        return list.isEmpty() ? null : new String(mailboxes.content(m.id(), list.getLast().uid()), StandardCharsets.UTF_8);
    }

    private List<QueuedMessage> copies() {
        return spool.history().stream().filter(m -> !m.isBounce()).toList();
    }

    private List<QueuedMessage> reports() {
        return spool.history().stream().filter(QueuedMessage::isBounce).toList();
    }

    @Test
    void eachOrganizationGetsItsOwnCopyDecidedByItsOwnRules() throws Exception {
        rule(alice, "Contoso tag", prepend("[Contoso] "));
        rule(carol, "Fabrikam tag", prepend("[Fabrikam] "));

        String reply = sendToAll();

        List<QueuedMessage> copies = copies();
        assertThat(copies).extracting(QueuedMessage::organizationId).as("the sender's organization first")
                .containsExactly(alice.organizationId(), carol.organizationId());
        assertThat(reply).isEqualTo("250 2.0.0 Ok: queued as " + copies.get(0).id() + " " + copies.get(1).id());
        assertThat(copies).extracting(QueuedMessage::origin).as("Alice's authentication vouches for nothing at Fabrikam")
                .containsExactly(QueuedMessage.Origin.SUBMISSION, QueuedMessage.Origin.INTERNET);
        assertThat(copies).extracting(QueuedMessage::internal).containsExactly(true, false);
        assertThat(copies.get(0).networkId()).as("one network message id follows every copy (PRODUCT.md)").isEqualTo(copies.get(1).networkId());
        assertThat(copies.get(0).id()).isNotEqualTo(copies.get(1).id());
        assertThat(spool.recipients(copies.get(0).id())).extracting(r -> r.address().toString())
                .containsExactly("dave@contoso.example", "partner@outside.example");
        assertThat(reports()).isEmpty();

        assertThat(last(dave)).contains("Subject: [Contoso] hi").doesNotContain("[Fabrikam]");
        assertThat(last(carol)).contains("Subject: [Fabrikam] hi").doesNotContain("[Contoso]")
                .contains("id " + copies.get(1).id() + "\r\n\tfor <carol@fabrikam.example>;");

        assertThat(trace.all()).filteredOn(e -> e.organizationId().equals(carol.organizationId()))
                .isNotEmpty().extracting(TraceEvent::recipient).containsOnly("carol@fabrikam.example");
        assertThat(trace.all()).filteredOn(e -> e.organizationId().equals(alice.organizationId()))
                .extracting(TraceEvent::recipient).containsOnly("dave@contoso.example", "partner@outside.example");
        assertThat(trace.all()).filteredOn(e -> e.recipient().equals("carol@fabrikam.example"))
                .extracting(e -> e.networkId().toString()).containsOnly(copies.get(1).networkId().toString());
        assertThat(trace.all()).filteredOn(e -> e.type() == TraceEvent.Type.RECEIVE && e.recipient().equals("carol@fabrikam.example"))
                .singleElement().satisfies(e -> assertThat(e.detail())
                        .contains("authenticated as alice@contoso.example of another organization, external"));
    }

    @Test
    void aCopyTheOtherOrganizationRejectsComesBackToTheSenderAsAnNdr() throws Exception {
        TransportRule no = rule(carol, "No Contoso", reject("Fabrikam does not take this", "5.7.950"));

        assertThat(sendToAll()).isEqualTo("250 2.0.0 Ok: queued as " + copies().getFirst().id());

        assertThat(copies()).singleElement().satisfies(m -> assertThat(m.organizationId()).isEqualTo(alice.organizationId()));
        assertThat(last(carol)).isNull();
        assertThat(last(dave)).contains("Subject: hi");
        String ndr = last(alice);
        assertThat(ndr).as("delivered to the sender's mailbox").isNotNull()
                .contains("Subject: Undeliverable: hi", "<carol@fabrikam.example>", "Final-Recipient: rfc822; carol@fabrikam.example",
                        "Status: 5.7.950", "Diagnostic-Code: smtp; 550 5.7.950 Fabrikam does not take this")
                .as("Fabrikam's rule stays private").doesNotContain("No Contoso");
        assertThat(ndr.split("Final-Recipient: ", -1)).as("only carol failed").hasSize(2);
        assertThat(trace.typesFor("carol@fabrikam.example")).containsExactly(TraceEvent.Type.RECEIVE, TraceEvent.Type.FILTER,
                TraceEvent.Type.FAIL, TraceEvent.Type.DSN);
        assertThat(reports()).singleElement().as("the report is Contoso's mail, to Contoso's user")
                .satisfies(m -> assertThat(m.organizationId()).isEqualTo(alice.organizationId()));
        assertThat(trace.all()).filteredOn(e -> e.organizationId().equals(carol.organizationId()))
                .as("Fabrikam's trace: carol only").extracting(TraceEvent::recipient).containsOnly("carol@fabrikam.example");
        assertThat(trace.all()).filteredOn(e -> e.recipient().equals("alice@contoso.example"))
                .as("the report's own trace is Contoso's").isNotEmpty()
                .extracting(TraceEvent::organizationId).containsOnly(alice.organizationId());
        assertThat(trace.all()).filteredOn(e -> e.type() == TraceEvent.Type.FAIL).singleElement().satisfies(e -> {
            assertThat(e.organizationId()).isEqualTo(carol.organizationId());
            assertThat(e.remoteReply()).isEqualTo("550 5.7.950 Fabrikam does not take this");
            assertThat(e.detail()).contains(no.id());
        });
    }

    @Test
    void whenEveryCopyIsRejectedTheFirstRejectAnswersAndNothingIsStored() throws Exception {
        rule(alice, "Contoso says no", reject("Contoso does not send this", "5.7.901"));
        rule(carol, "Fabrikam says no", reject("Fabrikam does not take this", "5.7.950"));

        assertThat(sendToAll()).isEqualTo("550 5.7.901 Contoso does not send this");

        assertThat(spool.history()).isEmpty();
        for (String r : List.of("dave@contoso.example", "carol@fabrikam.example", "partner@outside.example")) {
            assertThat(trace.typesFor(r)).as(r).containsExactly(TraceEvent.Type.RECEIVE, TraceEvent.Type.FILTER, TraceEvent.Type.FAIL);
        }
    }

    @Test
    void aDeferredCopyDefersTheWholeMessage() throws Exception {
        fabrikamDefers = true;

        assertThat(sendToAll()).isEqualTo("451 4.7.500 Server busy, try again later");

        assertThat(spool.history()).as("the client sends it all again").isEmpty();
        assertThat(last(dave)).isNull();
    }

    @Test
    void aCopyThatCannotBeHeldAfterTheOtherWasStoredIsReportedNotLost() throws Exception {
        rule(carol, "Hold Contoso", new RuleActions(null, false, true, null, null, null, null, null, null, false));
        quarantineFails = true;

        assertThat(sendToAll()).as("a 451 now would make the client send Contoso's stored copy twice")
                .isEqualTo("250 2.0.0 Ok: queued as " + copies().getFirst().id());

        assertThat(last(dave)).contains("Subject: hi");
        assertThat(last(alice)).contains("Final-Recipient: rfc822; carol@fabrikam.example", "Status: 5.3.0",
                "please send it again");
        assertThat(trace.typesFor("carol@fabrikam.example")).contains(TraceEvent.Type.FAIL, TraceEvent.Type.DSN);
    }

    @Test
    void aCopyThatCannotBeHeldBeforeAnythingWasStoredAsksTheClientToRetry() throws Exception {
        rule(alice, "Hold all", new RuleActions(null, false, true, null, null, null, null, null, null, false));
        rule(carol, "Hold all", new RuleActions(null, false, true, null, null, null, null, null, null, false));
        quarantineFails = true;

        assertThat(sendToAll()).isEqualTo("451 4.3.0 Temporary failure storing the message, try again later");

        assertThat(spool.history()).isEmpty();
    }

    @Test
    void aRuleCannotBccAnotherOrganizationsMailboxPastItsProtection() throws Exception {
        rule(alice, "Copy to Fabrikam", new RuleActions(null, false, false, null,
                List.of("carol@fabrikam.example", "audit@outside.example"), null, null, null, null, false));
        try (WireClient c = new WireClient("127.0.0.1", submission.port())) {
            assertThat(c.authPlain("alice@contoso.example", PASSWORD)).startsWith("235");
            assertThat(c.send("MAIL FROM:<alice@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<dave@contoso.example>")).startsWith("250");
            assertThat(c.data(MESSAGE)).startsWith("250");
        }
        QueuedMessage copy = copies().getLast();
        assertThat(spool.recipients(copy.id())).extracting(r -> r.address().toString())
                .containsExactly("dave@contoso.example", "audit@outside.example");
        assertThat(trace.all()).anyMatch(e -> e.type() == TraceEvent.Type.FILTER && e.detail() != null
                && e.detail().contains("carol@fabrikam.example not added: it is in another organization's domain"));
        assertThat(trace.all()).noneMatch(e -> "carol@fabrikam.example".equals(e.recipient()));
    }

    @Test
    void oneMessageIsSplitForAtMostTenOrganizations() throws Exception {
        for (int i = 1; i <= InboundSession.MAX_COPIES; i++) {
            var org = directory.createOrganization("Org " + i, false);
            directory.createAcceptedDomain(org.id(), Domain.of("org" + i + ".example"), AcceptedDomain.Type.AUTHORITATIVE, false);
            directory.createMailbox(new Mailbox("", org.id(), Address.parse("u@org" + i + ".example"), List.of(), "U", null, 0));
        }
        try (WireClient c = new WireClient("127.0.0.1", submission.port())) {
            assertThat(c.authPlain("alice@contoso.example", PASSWORD)).startsWith("235");
            assertThat(c.send("MAIL FROM:<alice@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<dave@contoso.example>")).startsWith("250");
            for (int i = 1; i < InboundSession.MAX_COPIES; i++)
                assertThat(c.send("RCPT TO:<u@org" + i + ".example>")).as("organization " + (i + 1)).startsWith("250");
            assertThat(c.send("RCPT TO:<u@org" + InboundSession.MAX_COPIES + ".example>")).as("the eleventh organization")
                    .startsWith("452 4.5.3");
            assertThat(c.send("RCPT TO:<partner@outside.example>")).as("the sender's own organization still").startsWith("250");
            assertThat(c.send("RCPT TO:<u2@org1.example>")).as("an organization already in").doesNotStartWith("452");
        }
    }

    @Test
    void anotherOrganizationsCopyIsInspectedAlreadySignedByTheSendersOrganization() throws Exception {
        java.security.KeyPair keys = sluice.core.filter.dkim.DkimKeys.generate(sluice.core.filter.dkim.DkimKeys.KeyType.ED25519);
        dkimKeys.create(new sluice.core.org.DkimSigningKey("", alice.organizationId(), Domain.of("contoso.example"), "s1", "ED25519",
                sluice.core.filter.dkim.DkimKeys.toPem(keys.getPrivate()), sluice.core.filter.dkim.DkimKeys.dnsRecord(keys.getPublic()),
                true, Instant.now()));
        assertThat(sendToAll()).startsWith("250");
        assertThat(inspected.get(carol.organizationId())).as("Fabrikam's pipeline sees Contoso's signature, so DMARC can pass")
                .contains("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=contoso.example; s=s1;");
        assertThat(inspected.get(alice.organizationId())).as("the sender's own copy is signed on its way out").doesNotContain("DKIM-Signature");
        List<QueuedMessage> copies = copies();
        assertThat(new String(copies.get(1).content(), StandardCharsets.UTF_8)).as("signed once").containsOnlyOnce("DKIM-Signature:");
        assertThat(new String(copies.get(0).content(), StandardCharsets.UTF_8)).containsOnlyOnce("DKIM-Signature:");
    }
}

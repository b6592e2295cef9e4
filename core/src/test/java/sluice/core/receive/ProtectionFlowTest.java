package sluice.core.receive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.InboundMatcher;
import sluice.core.connector.IpRange;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Pipeline;
import sluice.core.filter.Stage;
import sluice.core.filter.Verdict;
import sluice.core.filter.connection.ConnectionFilterStage;
import sluice.core.filter.dkim.DkimKeys;
import sluice.core.filter.malware.MalwarePolicy;
import sluice.core.filter.malware.MalwareScanner;
import sluice.core.filter.malware.MalwareStage;
import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.SpamAction;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.DkimSigningKey;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineService;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.route.Postmaster;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
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
import sluice.core.rule.RuleActions;
import sluice.core.rule.RulePredicates;
import sluice.core.rule.TransportRule;
import sluice.core.rule.TransportRuleStage;
import sluice.core.trace.TraceEvent;
import sluice.smtp.client.TlsContexts;
import sluice.smtp.server.SmtpServer;
import sluice.smtp.server.SmtpServerConfig;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the receiver does with each verdict of the protection pipeline, over a real socket: refuse in
 * the dialogue, quarantine, deliver to the Junk folder, prefix the subject, add our headers, strip
 * forged ones, and DKIM-sign the organization's own mail.
 */
class ProtectionFlowTest {

    private static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryConnectors connectors = new MemoryConnectors();
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final MemoryMailboxStore mailboxes = new MemoryMailboxStore();
    private final MemoryPolicies policies = new MemoryPolicies();
    private final MemoryDkimKeys dkimKeys = new MemoryDkimKeys();
    private final MemoryTransportRules rules = new MemoryTransportRules();
    private final AtomicInteger scl = new AtomicInteger(1);
    private Quarantine quarantine;
    private SmtpServer mx;
    private Mailbox alice;

    @BeforeEach
    void start() throws Exception {
        var org = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(org.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        alice = directory.createMailbox(new Mailbox("", org.id(), Address.parse("alice@contoso.example"), List.of(), "Alice", null, 0));
        connectors.createInbound(new InboundConnector("", org.id(), "on-prem", ConnectorType.ON_PREMISES, true, null,
                List.of(IpRange.parse("127.0.0.9")), null, List.of(DomainPattern.parse("*")), false, false, false, false, List.of(), false));
        Router router = new Router(directory, new OutboundSelector(connectors), StaticRoutes.none(),
                new Postmaster(Domain.of("mx.test"), null));
        RemoteDelivery holding = new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 later", "held for the test"));
        QueueRunner queue = new QueueRunner(spool, router, new MailboxDelivery(mailboxes), holding,
                new DsnBuilder("mx.test", ZoneOffset.UTC), trace, InstantSource.system(), Runnable::run, RetrySchedule.DEFAULT, 4, "mx.test");
        quarantine = new QuarantineService(new MemoryQuarantineStore(), spool, trace, InstantSource.system(),
                QuarantinePolicy.DEFAULT, queue::submit, dkimKeys);
        Stage spam = new Stage() {
            @Override public String name() { return "fixed spam score"; }
            @Override public Optional<Verdict> inspect(Inspection m, Findings f) {
                f.add(new Facts.Spam(scl.get(), scl.get() / 10.0, scl.get() >= 5 ? "SPAM" : "NONE"));
                return Optional.empty();
            }
        };
        Pipeline pipeline = new Pipeline(List.of(new ConnectionFilterStage(policies),
                new MalwareStage(new MalwareScanner(MalwarePolicy.defaults()), policies),
                new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM), spam), policies);
        Receiver receiver = new Receiver(router, directory, new InboundMatcher(connectors, TlsContexts.jdkTrust()), mailboxes, spool,
                queue, trace, InstantSource.system(), ZoneOffset.UTC, "mx.test", Passwords.OWASP, SubmissionLimits.DEFAULT,
                pipeline, quarantine, dkimKeys);
        mx = new SmtpServer(SmtpServerConfig.builder("mx.test").bindAddress(java.net.InetAddress.getByName("0.0.0.0")).build(),
                receiver.mx()).start();
    }

    @AfterEach
    void stop() {
        mx.close();
    }

    private String send(String source, String from, String to, String message) throws Exception {
        try (WireClient c = new WireClient(source, mx.port())) {
            c.send("MAIL FROM:<" + from + ">");
            c.send("RCPT TO:<" + to + ">");
            return c.data(message);
        }
    }

    private String inbox(MailboxStore.Folder folder) {
        var list = mailboxes.list(alice.id(), folder);
        return list.isEmpty() ? null : new String(mailboxes.content(alice.id(), list.getLast().uid()), StandardCharsets.UTF_8);
    }

    @Test
    void malwareIsRefusedInTheDialogueAndTraced() throws Exception {
        String reply = send("127.0.0.1", "x@outside.example", "alice@contoso.example",
                "Subject: invoice\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + EICAR);
        assertThat(reply).isEqualTo("550 5.7.1 Message rejected: it contains malware");
        assertThat(spool.history()).isEmpty();
        assertThat(trace.typesFor("alice@contoso.example")).containsExactly(TraceEvent.Type.RECEIVE, TraceEvent.Type.FAIL);
    }

    @Test
    void withAQuarantinePolicyMalwareIsHeldAndNotDelivered() throws Exception {
        policies.antiMalware = new AntiMalwarePolicy(true, AntiMalwarePolicy.DEFAULT_FILE_TYPES, true, Duration.ofDays(30));
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: invoice\r\n\r\n" + EICAR)).startsWith("250");
        assertThat(spool.history()).isEmpty();
        assertThat(quarantine.search(Quarantine.Query.all(10))).hasSize(1)
                .first().satisfies(e -> assertThat(e.toString()).contains("MALWARE"));
        assertThat(trace.typesFor("alice@contoso.example")).containsExactly(TraceEvent.Type.RECEIVE, TraceEvent.Type.QUARANTINE);
    }

    @Test
    void spamGoesToTheJunkFolderAndHighConfidenceSpamToQuarantine() throws Exception {
        scl.set(6);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy")).startsWith("250");
        assertThat(inbox(MailboxStore.Folder.INBOX)).isNull();
        assertThat(inbox(MailboxStore.Folder.JUNK)).contains("X-Sluice-Antispam-Report: CIP:127.0.0.1;H:client.test;SCL:6;SFV:SPM;CAT:SPM;");
        assertThat(trace.typesFor("alice@contoso.example")).contains(TraceEvent.Type.FILTER, TraceEvent.Type.DELIVER);

        scl.set(9);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy now")).startsWith("250");
        assertThat(quarantine.search(Quarantine.Query.all(10))).hasSize(1);
    }

    @Test
    void cleanMailCarriesTheReportAndForgedFieldsAreRemoved() throws Exception {
        send("127.0.0.1", "x@outside.example", "alice@contoso.example",
                "Authentication-Results: mx.test; dmarc=pass header.from=bank.example\r\n"
                        + "Authentication-Results: other.example; spf=pass\r\nX-Sluice-Folder: Inbox\r\nSubject: hi\r\n\r\nhello");
        String got = inbox(MailboxStore.Folder.INBOX);
        assertThat(got).contains("SCL:1;SFV:NSPM;CAT:NONE").contains("Authentication-Results: other.example; spf=pass")
                .doesNotContain("Authentication-Results: mx.test; dmarc=pass").doesNotContain("X-Sluice-Folder: Inbox");
    }

    /**
     * Below a line that is no field, our checks read body; a lenient reader after us might still read fields
     * there. So, as Postfix's cleanup does, an empty line is put where the header broke off.
     */
    @Test
    void aHeaderThatBreaksOffGetsItsEmptyLineSoNobodyReadsFieldsBelowIt() throws Exception {
        send("127.0.0.1", "x@outside.example", "alice@contoso.example",
                "Subject: hi\r\nthis line is no field\r\nAuthentication-Results: mx.test; dmarc=pass header.from=bank.example\r\n"
                        + "\r\nhello");
        String got = inbox(MailboxStore.Folder.INBOX);
        assertThat(got).contains("Subject: hi\r\n\r\nthis line is no field\r\nAuthentication-Results: mx.test; dmarc=pass");
    }

    @Test
    void theOrganizationsOwnMailIsInternalAndLeavesDkimSigned() throws Exception {
        KeyPair keys = DkimKeys.generate(DkimKeys.KeyType.ED25519);
        dkimKeys.create(new DkimSigningKey("", alice.organizationId(), Domain.of("contoso.example"), "s1", "ED25519",
                DkimKeys.toPem(keys.getPrivate()), DkimKeys.dnsRecord(keys.getPublic()), true, Instant.now()));
        scl.set(9);
        assertThat(send("127.0.0.9", "bob@contoso.example", "partner@outside.example",
                "From: Bob <bob@contoso.example>\r\nTo: partner@outside.example\r\nSubject: contract\r\n\r\nsigned")).startsWith("250");
        String queued = new String(spool.history().getLast().content(), StandardCharsets.UTF_8);
        assertThat(queued).contains(";SCL:-1;SFV:SKI;").contains("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=contoso.example; s=s1;");
        assertThat(queued.indexOf("Received: ")).isLessThan(queued.indexOf("DKIM-Signature:"));
    }

    private TransportRule rule(String name, RuleActions actions) {
        return rules.create(new TransportRule("", alice.organizationId(), name, 99, true, null, RulePredicates.NONE,
                RulePredicates.NONE, actions));
    }

    @Test
    void aDeletingRuleAcceptsStoresNothingAndTracesWhy() throws Exception {
        TransportRule r = rule("drop", new RuleActions(null, true, false, null, null, null, null, null, null, false));
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: hi\r\n\r\nhello")).startsWith("250");
        assertThat(spool.history()).isEmpty();
        assertThat(trace.typesFor("alice@contoso.example"))
                .containsExactly(TraceEvent.Type.RECEIVE, TraceEvent.Type.FILTER, TraceEvent.Type.FAIL);
        assertThat(trace.all()).extracting(TraceEvent::detail)
                .contains("mail flow rule 'drop' (" + r.id() + "): deleteMessage", "deleted by mail flow rule 'drop' (" + r.id() + ")");
    }

    /** A review found that a rule's quarantine held EICAR as a POLICY hit, which the helpdesk may release. */
    @Test
    void aQuarantiningRuleDoesNotHideMalware() throws Exception {
        rule("hold invoices", new RuleActions(null, false, true, null, null, null, null, null, null, false));
        String eicar = "Subject: invoice\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + EICAR;
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", eicar))
                .as("the anti-malware policy's reject, not the rule's hold").isEqualTo("550 5.7.1 Message rejected: it contains malware");
        assertThat(quarantine.search(Quarantine.Query.all(10))).isEmpty();

        policies.antiMalware = new AntiMalwarePolicy(true, AntiMalwarePolicy.DEFAULT_FILE_TYPES, true, Duration.ofDays(30));
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", eicar)).startsWith("250");
        assertThat(quarantine.search(Quarantine.Query.all(10))).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(sluice.core.quarantine.QuarantineReason.MALWARE));
    }

    @Test
    void redirectAndBccReplaceAndAddRecipientsAndRuleConnectorIsQueued() throws Exception {
        Mailbox legal = directory.createMailbox(new Mailbox("", alice.organizationId(), Address.parse("legal@contoso.example"), List.of(), "Legal", null, 0));
        Mailbox audit = directory.createMailbox(new Mailbox("", alice.organizationId(), Address.parse("audit@contoso.example"), List.of(), "Audit", null, 0));
        rule("legal", new RuleActions(null, false, false, List.of("legal@contoso.example"),
                List.of("audit@contoso.example", "legal@contoso.example"), null, null, null, "conn-1", false));
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: hi\r\n\r\nhello")).startsWith("250");
        QueuedMessage queued = spool.history().getLast();
        assertThat(mailboxes.list(legal.id(), MailboxStore.Folder.INBOX)).hasSize(1);
        assertThat(mailboxes.list(audit.id(), MailboxStore.Folder.INBOX)).as("once, though named twice").hasSize(1);
        assertThat(inbox(MailboxStore.Folder.INBOX)).isNull();
        assertThat(queued.transportRuleConnector()).isEqualTo("conn-1");
        assertThat(trace.typesFor("alice@contoso.example")).startsWith(TraceEvent.Type.RECEIVE, TraceEvent.Type.FILTER);
        assertThat(trace.typesFor("audit@contoso.example")).containsExactly(TraceEvent.Type.EXPAND, TraceEvent.Type.DELIVER);
        assertThat(trace.all()).filteredOn(e -> e.type() == TraceEvent.Type.EXPAND).as("redirected and added recipients are Contoso's")
                .hasSize(2).extracting(TraceEvent::organizationId).containsOnly(alice.organizationId());
    }

    /** A review found that a held copy kept the recipients as received, so a release ignored the rule's redirect and Bcc. */
    @Test
    void aHeldCopyIsHeldForTheRecipientsAfterRulesAndTheirCopiesWaitForTheRelease() throws Exception {
        Mailbox legal = directory.createMailbox(new Mailbox("", alice.organizationId(), Address.parse("legal@contoso.example"), List.of(), "Legal", null, 0));
        Mailbox audit = directory.createMailbox(new Mailbox("", alice.organizationId(), Address.parse("audit@contoso.example"), List.of(), "Audit", null, 0));
        rule("to legal", new RuleActions(null, false, false, List.of("legal@contoso.example"), List.of("audit@contoso.example"),
                null, null, null, null, false));
        scl.set(9);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy now")).startsWith("250");

        var held = quarantine.search(Quarantine.Query.all(10)).getFirst();
        assertThat(held.recipients()).extracting(Address::toString).containsExactly("legal@contoso.example", "audit@contoso.example");
        assertThat(mailboxes.list(legal.id(), MailboxStore.Folder.INBOX)).as("nothing escapes the hold").isEmpty();
        assertThat(mailboxes.list(audit.id(), MailboxStore.Folder.INBOX)).isEmpty();
        assertThat(trace.typesFor("audit@contoso.example")).startsWith(TraceEvent.Type.EXPAND);

        quarantine.release(held.id(), List.of(), "admin", false).orElseThrow();
        assertThat(mailboxes.list(legal.id(), MailboxStore.Folder.INBOX)).hasSize(1);
        assertThat(mailboxes.list(audit.id(), MailboxStore.Folder.INBOX)).hasSize(1);
        assertThat(inbox(MailboxStore.Folder.INBOX)).as("redirected away from alice").isNull();
    }

    /** A review found that a failed rule Bcc was reported to the (possibly forged) sender, naming the hidden address. */
    @Test
    void theSenderHearsNothingOfARuleRecipientThatFails() throws Exception {
        rule("copy to a mailbox that is gone", new RuleActions(null, false, false, null, List.of("gone@contoso.example"),
                null, null, null, null, false));
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: hi\r\n\r\nhello")).startsWith("250");
        assertThat(inbox(MailboxStore.Folder.INBOX)).isNotNull();
        assertThat(trace.typesFor("gone@contoso.example")).as("it did fail").contains(TraceEvent.Type.FAIL);
        assertThat(spool.history()).as("no non-delivery report").hasSize(1);
    }

    /** A review found that redirect targets got NOTIFY=NEVER too, so a redirect that failed was lost without a word. */
    @Test
    void theSenderHearsOfARedirectThatFails() throws Exception {
        rule("redirect to a mailbox that is gone", new RuleActions(null, false, false, List.of("gone@contoso.example"), null,
                null, null, null, null, false));
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: hi\r\n\r\nhello")).startsWith("250");
        assertThat(trace.typesFor("gone@contoso.example")).contains(TraceEvent.Type.FAIL);
        assertThat(spool.history()).as("the message and its non-delivery report").hasSize(2);
        assertThat(spool.history().getLast().sender()).isEmpty();
        assertThat(new String(spool.history().getLast().content(), StandardCharsets.UTF_8)).contains("Action: failed");
    }

    @Test
    void junkFromOutsideIsNotCopiedOutsideTheOrganizationByARule() throws Exception {
        Mailbox audit = directory.createMailbox(new Mailbox("", alice.organizationId(), Address.parse("audit@contoso.example"), List.of(), "Audit", null, 0));
        rule("copies", new RuleActions(null, false, false, null, List.of("archive@outside.example", "audit@contoso.example"),
                null, null, null, null, false));
        scl.set(6);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy")).startsWith("250");

        assertThat(inbox(MailboxStore.Folder.JUNK)).isNotNull();
        assertThat(mailboxes.list(audit.id(), MailboxStore.Folder.JUNK)).as("the organization's own Bcc still gets it").hasSize(1);
        assertThat(trace.typesFor("archive@outside.example")).isEmpty();
        assertThat(trace.all()).extracting(TraceEvent::detail).contains("mail flow rule recipient archive@outside.example not added: "
                + "the message is spam from outside (category SPM) and the address is outside the organization");

        scl.set(1);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: hi\r\n\r\nhello")).startsWith("250");
        assertThat(trace.typesFor("archive@outside.example")).as("clean mail is copied out").startsWith(TraceEvent.Type.EXPAND);
    }

    /** A review found that held high-confidence spam kept the outside Bcc, which a helpdesk release then reached. */
    @Test
    void heldSpamFromOutsideIsNotHeldForARuleRecipientOutsideNorReleasedToIt() throws Exception {
        rule("copies", new RuleActions(null, false, false, null, List.of("archive@outside.example"), null, null, null, null, false));
        scl.set(9);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy")).startsWith("250");

        var held = quarantine.search(Quarantine.Query.all(10)).getFirst();
        assertThat(held.recipients()).extracting(Address::toString).containsExactly("alice@contoso.example");
        assertThatThrownBy(() -> quarantine.release(held.id(), List.of(Address.parse("archive@outside.example")), "helpdesk", false))
                .isInstanceOf(Quarantine.UnknownRecipients.class);
        assertThat(trace.typesFor("archive@outside.example")).isEmpty();
        assertThat(trace.all()).extracting(TraceEvent::detail).contains("mail flow rule recipient archive@outside.example not added: "
                + "the message is spam from outside (category HSPM) and the address is outside the organization");
    }

    /** A review found that a rule's own setScl 6 marked the message spam, yet its Bcc outside still got a copy. */
    @Test
    void mailARuleMarksAsSpamIsNotCopiedOutsideByIt() throws Exception {
        rule("mark and copy", new RuleActions(null, false, false, null, List.of("archive@outside.example"), 6, null, null, null, false));
        scl.set(0);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy")).startsWith("250");

        assertThat(inbox(MailboxStore.Folder.JUNK)).isNotNull();
        assertThat(trace.typesFor("archive@outside.example")).isEmpty();
        assertThat(trace.all()).extracting(TraceEvent::detail).contains("mail flow rule recipient archive@outside.example not added: "
                + "the message is spam from outside (category SPM) and the address is outside the organization");
    }

    /** A review found that held malware kept a rule's Bcc outside, which a release then sent the malware to. */
    @Test
    void heldMalwareIsNotHeldForARuleRecipientOutsideNorReleasedToIt() throws Exception {
        policies.antiMalware = new AntiMalwarePolicy(true, AntiMalwarePolicy.DEFAULT_FILE_TYPES, true, Duration.ofDays(30));
        rule("copies", new RuleActions(null, false, false, null, List.of("archive@outside.example"), null, null, null, null, false));
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: invoice\r\n\r\n" + EICAR)).startsWith("250");

        var held = quarantine.search(Quarantine.Query.all(10)).getFirst();
        assertThat(held.recipients()).extracting(Address::toString).containsExactly("alice@contoso.example");
        assertThatThrownBy(() -> quarantine.release(held.id(), List.of(Address.parse("archive@outside.example")), "admin", true))
                .isInstanceOf(Quarantine.UnknownRecipients.class);
        assertThat(trace.typesFor("archive@outside.example")).isEmpty();
        assertThat(trace.all()).extracting(TraceEvent::detail).contains("mail flow rule recipient archive@outside.example not added: "
                + "the message is held as malware and the address is outside the organization");
    }

    /** A redirect whose every address is left out does not lose the message: it stays with alice, and the trace says why. */
    @Test
    void spamRedirectedOutsideStaysWithItsRecipientAndTheTraceSaysSo() throws Exception {
        rule("away", new RuleActions(null, false, false, List.of("archive@outside.example"), null, null, null, null, null, false));
        scl.set(6);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy")).startsWith("250");

        assertThat(inbox(MailboxStore.Folder.JUNK)).isNotNull();
        assertThat(trace.typesFor("archive@outside.example")).isEmpty();
        assertThat(trace.all()).filteredOn(e -> "alice@contoso.example".equals(e.recipient())).extracting(TraceEvent::detail)
                .contains("mail flow rule recipient archive@outside.example not added: the message is spam from outside"
                        + " (category SPM) and the address is outside the organization",
                        "mail flow rule redirect not followed: none of its addresses could be added;"
                        + " the message stays with its original recipients");
    }

    /** A review found that spam whose action only prefixes the subject went to a rule's Bcc outside. */
    @Test
    void spamWithAPrefixedSubjectIsNotCopiedOutsideEither() throws Exception {
        var d = AntiSpamPolicy.DEFAULT;
        policies.antiSpam = new AntiSpamPolicy(5, 7, SpamAction.MODIFY_SUBJECT, d.highConfidenceSpamAction(), d.subjectPrefix(),
                d.dmarcRejectAction(), d.dmarcQuarantineAction(), d.spoofAction(), d.quarantineRetention());
        rule("copies", new RuleActions(null, false, false, null, List.of("archive@outside.example"), null, null, null, null, false));
        scl.set(6);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy")).startsWith("250");

        assertThat(inbox(MailboxStore.Folder.INBOX)).contains("Subject: [SPAM] offer");
        assertThat(trace.typesFor("archive@outside.example")).isEmpty();
    }

    /**
     * The organization's own setScl -1 lets spam into its mailboxes, not out of the service: the filters'
     * category decides what may be sent on outside.
     */
    @Test
    void aRulesSclMinusOneDoesNotLetSpamBeSentOnOutside() throws Exception {
        Mailbox audit = directory.createMailbox(new Mailbox("", alice.organizationId(), Address.parse("audit@contoso.example"), List.of(), "Audit", null, 0));
        rule("trust and copy", new RuleActions(null, false, false, null, List.of("archive@outside.example", "audit@contoso.example"),
                -1, null, null, null, false));
        scl.set(9);
        assertThat(send("127.0.0.1", "x@outside.example", "alice@contoso.example", "Subject: offer\r\n\r\nbuy")).startsWith("250");

        assertThat(inbox(MailboxStore.Folder.INBOX)).as("SCL -1: delivered to the inbox").isNotNull();
        assertThat(mailboxes.list(audit.id(), MailboxStore.Folder.INBOX)).hasSize(1);
        assertThat(trace.typesFor("archive@outside.example")).isEmpty();
    }

    @Test
    void aReleasedCopyIsQueuedWithTheEnvelopeTheHeldMessageWasReceivedWith() throws Exception {
        rule("route", new RuleActions(null, false, false, null, null, null, null, null, "conn-1", false));
        scl.set(9);
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            assertThat(c.send("MAIL FROM:<x@outside.example> RET=HDRS ENVID=env-42")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Alice@contoso.example"))
                    .startsWith("250");
            assertThat(c.data("Subject: offer\r\n\r\nbuy now")).startsWith("250");
        }
        String held = quarantine.search(Quarantine.Query.all(10)).getFirst().id();

        var released = quarantine.release(held, List.of(), "admin", false).orElseThrow();

        QueuedMessage copy = spool.history().stream().filter(m -> m.id().equals(released.queueId())).findFirst().orElseThrow();
        assertThat(copy).extracting(QueuedMessage::dsnRet, QueuedMessage::dsnEnvId, QueuedMessage::transportRuleConnector,
                QueuedMessage::origin, QueuedMessage::organizationId, QueuedMessage::clientAddress)
                .containsExactly("HDRS", "env-42", "conn-1", QueuedMessage.Origin.INTERNET, alice.organizationId(), "127.0.0.1");
        assertThat(inbox(MailboxStore.Folder.INBOX)).contains("X-Sluice-Quarantine-Released: by admin");
        // NOTIFY=SUCCESS: the sender hears of the released copy's delivery, with its ORCPT and ENVID
        String report = new String(spool.history().getLast().content(), StandardCharsets.UTF_8);
        assertThat(report).contains("Action: delivered", "Original-Recipient: rfc822;Alice@contoso.example",
                "Original-Envelope-Id: env-42");
    }

    /** Fabrikam, a second organization on the node, with carol@fabrikam.example and a rule that marks its mail. */
    private Mailbox fabrikam() {
        var org = directory.createOrganization("Fabrikam", false);
        directory.createAcceptedDomain(org.id(), Domain.of("fabrikam.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        rules.create(new TransportRule("", org.id(), "mark", 1, true, null, RulePredicates.NONE, RulePredicates.NONE,
                new RuleActions(null, false, false, null, null, null, null, "[Fabrikam] ", null, false)));
        return directory.createMailbox(new Mailbox("", org.id(), Address.parse("carol@fabrikam.example"), List.of(), "Carol", null, 0));
    }

    @Test
    void aRuleOfTheSendingConnectorsOrganizationDoesNotTouchAnotherOrganizationsRecipient() throws Exception {
        connectors.createInbound(new InboundConnector("", alice.organizationId(), "partner", ConnectorType.PARTNER, true, null,
                List.of(IpRange.parse("127.0.0.7")), null, List.of(DomainPattern.parse("*")), false, false, false, false, List.of(), false));
        Mailbox audit = directory.createMailbox(new Mailbox("", alice.organizationId(), Address.parse("audit@contoso.example"), List.of(), "Audit", null, 0));
        rule("copy", new RuleActions(null, false, false, null, List.of("audit@contoso.example"), null, null, null, null, false));
        Mailbox carol = fabrikam();

        assertThat(send("127.0.0.7", "x@partner.example", "carol@fabrikam.example", "Subject: hi\r\n\r\nhello")).startsWith("250");

        assertThat(mailboxes.list(audit.id(), MailboxStore.Folder.INBOX)).as("Contoso's rule does not copy Fabrikam's mail").isEmpty();
        var got = mailboxes.list(carol.id(), MailboxStore.Folder.INBOX);
        assertThat(new String(mailboxes.content(carol.id(), got.getLast().uid()), StandardCharsets.UTF_8))
                .as("Fabrikam's own rule ran").contains("Subject: [Fabrikam] hi");
        QueuedMessage queued = spool.history().getLast();
        assertThat(queued.organizationId()).isEqualTo(carol.organizationId());
        assertThat(queued.origin()).as("Contoso's connector vouches for nothing at Fabrikam").isEqualTo(QueuedMessage.Origin.INTERNET);
        assertThat(trace.all()).isNotEmpty().extracting(TraceEvent::organizationId).containsOnly(carol.organizationId());
    }

    @Test
    void recipientsOfTwoOrganizationsAreSplitIntoTwoTransactions() throws Exception {
        Mailbox carol = fabrikam();
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<carol@fabrikam.example>"))
                    .isEqualTo("452 4.5.3 Recipients of another organization must be sent in a separate transaction");
            assertThat(c.send("RCPT TO:<partner@outside.example>")).as("relayed for Contoso, the sender").startsWith("250");
            assertThat(c.data("Subject: hi\r\n\r\nhello")).startsWith("250");
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<carol@fabrikam.example>")).startsWith("250");
            assertThat(c.data("Subject: hi\r\n\r\nhello")).startsWith("250");
        }
        assertThat(inbox(MailboxStore.Folder.INBOX)).contains("Subject: hi").doesNotContain("[Fabrikam]");
        var got = mailboxes.list(carol.id(), MailboxStore.Folder.INBOX);
        assertThat(new String(mailboxes.content(carol.id(), got.getLast().uid()), StandardCharsets.UTF_8)).contains("Subject: [Fabrikam] hi");
        assertThat(spool.history()).extracting(QueuedMessage::organizationId).containsExactly(alice.organizationId(), carol.organizationId());
        assertThat(spool.history()).extracting(QueuedMessage::internal).as("internal only for Contoso's own connector's organization")
                .containsExactly(true, false);
        assertThat(trace.all()).filteredOn(e -> e.recipient().equals("carol@fabrikam.example"))
                .extracting(TraceEvent::organizationId).containsOnly(carol.organizationId());
    }

    @Test
    void addingThePostmasterDoesNotSwitchOffTheOrganizationsRules() throws Exception {
        rule("reject all", new RuleActions(new RuleActions.Rejection("Not here", "5.7.1"), false, false, null, null, null, null,
                null, null, false));
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            c.send("MAIL FROM:<x@outside.example>");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<postmaster>")).startsWith("452 4.5.3");
            assertThat(c.data("Subject: hi\r\n\r\nhello")).startsWith("550 5.7.1 Not here");
            c.send("RSET");
            c.send("MAIL FROM:<x@outside.example>");
            assertThat(c.send("RCPT TO:<postmaster>")).as("alone, the postmaster is taken").startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("452 4.5.3");
            assertThat(c.data("Subject: hi\r\n\r\nhello")).as("under the default policies, no rules").startsWith("250");
        }
        assertThat(inbox(MailboxStore.Folder.INBOX)).isNull();
        assertThat(spool.history()).singleElement().satisfies(m -> assertThat(m.organizationId()).isNull());
    }

    @Test
    void aSubjectARuleChangesIsCoveredByTheOrganizationsDkimSignature() throws Exception {
        KeyPair keys = signingKey();
        rule("disclaimer", new RuleActions(null, false, false, null, null, null, null, "[Contoso] ", null, false));
        byte[] queued = sendAsBob();
        assertThat(new String(queued, StandardCharsets.UTF_8)).contains("Subject: [Contoso] contract");
        assertThat(dkim(keys, queued)).isEqualTo(sluice.core.filter.dkim.DkimResult.Code.PASS);
    }

    /** The signer over-signs Reply-To and the like: set above the signature, they would break it (a review found this). */
    @Test
    void aHeaderARuleSetsIsCoveredByTheOrganizationsDkimSignatureToo() throws Exception {
        KeyPair keys = signingKey();
        rule("reply to helpdesk", new RuleActions(null, false, false, null, null, null,
                new RuleActions.SetHeader("Reply-To", "helpdesk@contoso.example"), null, null, false));
        byte[] queued = sendAsBob();
        String text = new String(queued, StandardCharsets.UTF_8);
        assertThat(text.indexOf("DKIM-Signature:")).isLessThan(text.indexOf("Reply-To: helpdesk@contoso.example"));
        assertThat(dkim(keys, queued)).isEqualTo(sluice.core.filter.dkim.DkimResult.Code.PASS);
    }

    /**
     * A review found that setHeader added a field beside the message's own: two Subjects, two Froms (which RFC 5322
     * section 3.6 forbids and Gmail refuses). As EOP's "Set the message header", the rule's field replaces them.
     */
    @Test
    void aHeaderARuleSetsReplacesTheMessagesFieldsOfThatName() throws Exception {
        rule("rewrite", new RuleActions(null, false, false, null, null, null,
                new RuleActions.SetHeader("subject", "rewritten"), null, null, false));
        send("127.0.0.1", "x@outside.example", "alice@contoso.example",
                "From: x@outside.example\r\nSubject: first\r\nSUBJECT: second,\r\n folded\r\nX-Other: kept\r\n\r\nhello");
        String got = inbox(MailboxStore.Folder.INBOX);
        String head = got.substring(0, got.indexOf("\r\n\r\n") + 2);
        assertThat(head.toLowerCase(java.util.Locale.ROOT).split("\r\nsubject:", -1)).as(head).hasSize(2);
        assertThat(head).contains("\r\nsubject: rewritten\r\n").contains("X-Other: kept").doesNotContain("first").doesNotContain("folded");
    }

    /** The organization's own mail: the replacing field is under the signature, which still verifies; one From is left. */
    @Test
    void aFromARuleSetsOnSignedMailIsTheOnlyFromAndSigned() throws Exception {
        KeyPair keys = signingKey();
        rule("from desk", new RuleActions(null, false, false, null, null, null,
                new RuleActions.SetHeader("From", "Contoso Desk <desk@contoso.example>"), null, null, false));
        String text = new String(sendAsBob(), StandardCharsets.UTF_8);
        assertThat(text.split("\r\nFrom:", -1)).hasSize(2);
        assertThat(text).doesNotContain("bob@contoso.example>\r\n").contains("From: Contoso Desk <desk@contoso.example>");
        assertThat(text.indexOf("DKIM-Signature:")).isLessThan(text.indexOf("From: Contoso Desk"));
        assertThat(dkim(keys, text.getBytes(StandardCharsets.UTF_8))).isEqualTo(sluice.core.filter.dkim.DkimResult.Code.PASS);
    }

    /**
     * A review found that a Contoso rule could set From to a Fabrikam address (another organization on the node), and
     * the mail left so, unsigned. The admin API refuses such a rule; a rule saved before the domain moved is checked
     * for each message: the field is not set, the trace says why, and the sender's own From stays, signed.
     */
    @Test
    void aRuleSetsNoFromOfAnotherOrganizationsDomainAndTracesWhy() throws Exception {
        KeyPair keys = signingKey();
        fabrikam();
        rule("spoof", new RuleActions(null, false, false, null, null, null,
                new RuleActions.SetHeader("From", "Fabrikam CEO <ceo@fabrikam.example>"), null, null, false));
        String text = new String(sendAsBob(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("ceo@fabrikam.example").contains("From: Bob <bob@contoso.example>");
        assertThat(dkim(keys, text.getBytes(StandardCharsets.UTF_8))).isEqualTo(sluice.core.filter.dkim.DkimResult.Code.PASS);
        assertThat(trace.all()).extracting(TraceEvent::detail).contains("mail flow rule setHeader of From not applied:"
                + " ceo@fabrikam.example is not in an accepted domain of this organization; a rule may set From, Sender,"
                + " Resent-From and Resent-Sender only to the organization's own addresses");
    }

    /** Replies sent to another organization's mailboxes: a Reply-To of its domain is not set either. */
    @Test
    void aRuleSetsNoReplyToOfAnotherOrganizationsDomain() throws Exception {
        fabrikam();
        rule("replies", new RuleActions(null, false, false, null, null, null,
                new RuleActions.SetHeader("Reply-To", "ceo@fabrikam.example"), null, null, false));
        String text = new String(sendAsBob(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("Reply-To");
        assertThat(trace.all()).extracting(TraceEvent::detail).anyMatch(d -> d != null
                && d.startsWith("mail flow rule setHeader of Reply-To not applied: ceo@fabrikam.example is in a domain another"));
    }

    /** A review found that the held copy was stored unsigned, and a release queued it so. */
    @Test
    void aReleasedCopyOfTheOrganizationsOwnMailLeavesDkimSigned() throws Exception {
        KeyPair keys = signingKey();
        rule("hold outbound", new RuleActions(null, false, true, null, null, null,
                new RuleActions.SetHeader("Reply-To", "helpdesk@contoso.example"), null, null, false));
        assertThat(send("127.0.0.9", "bob@contoso.example", "partner@outside.example",
                "From: Bob <bob@contoso.example>\r\nTo: partner@outside.example\r\nSubject: contract\r\n\r\nsigned")).startsWith("250");
        String held = quarantine.search(Quarantine.Query.all(10)).getFirst().id();

        var released = quarantine.release(held, List.of(), "admin", false).orElseThrow();

        byte[] copy = spool.history().stream().filter(m -> m.id().equals(released.queueId())).findFirst().orElseThrow().content();
        String text = new String(copy, StandardCharsets.UTF_8);
        assertThat(text.indexOf("DKIM-Signature:")).as("the rule's field under the signature")
                .isLessThan(text.indexOf("Reply-To: helpdesk@contoso.example"));
        assertThat(dkim(keys, copy)).isEqualTo(sluice.core.filter.dkim.DkimResult.Code.PASS);
    }

    /** A review found that a copy held with a key rotated away during its retention left with a signature nobody could check. */
    @Test
    void aCopyReleasedAfterItsKeyWasRotatedIsSignedWithTheNewKey() throws Exception {
        signingKey();
        rule("hold outbound", new RuleActions(null, false, true, null, null, null, null, null, null, false));
        assertThat(send("127.0.0.9", "bob@contoso.example", "partner@outside.example",
                "From: Bob <bob@contoso.example>\r\nTo: partner@outside.example\r\nSubject: contract\r\n\r\nsigned")).startsWith("250");
        String held = quarantine.search(Quarantine.Query.all(10)).getFirst().id();
        // rotated: s2 signs from now on, s1 is disabled and its record withdrawn
        KeyPair rotated = DkimKeys.generate(DkimKeys.KeyType.ED25519);
        dkimKeys.create(new DkimSigningKey("", alice.organizationId(), Domain.of("contoso.example"), "s2", "ED25519",
                DkimKeys.toPem(rotated.getPrivate()), DkimKeys.dnsRecord(rotated.getPublic()), true, Instant.now().plusSeconds(60)));
        DkimSigningKey s1 = dkimKeys.keys(alice.organizationId()).stream().filter(k -> k.selector().equals("s1")).findFirst().orElseThrow();
        dkimKeys.update(new DkimSigningKey(s1.id(), s1.organizationId(), s1.domain(), s1.selector(), s1.keyType(), s1.privateKeyPem(),
                s1.dnsRecord(), false, s1.createdAt()));

        var released = quarantine.release(held, List.of(), "admin", false).orElseThrow();

        byte[] copy = spool.history().stream().filter(m -> m.id().equals(released.queueId())).findFirst().orElseThrow().content();
        String text = new String(copy, StandardCharsets.UTF_8);
        assertThat(text.split("DKIM-Signature:", -1)).as("the old signature is gone").hasSize(2);
        assertThat(text).contains("s=s2;");
        assertThat(dkim(rotated, "s2", copy)).isEqualTo(sluice.core.filter.dkim.DkimResult.Code.PASS);
    }

    /** A review found that a selector deleted and created again with another key was taken for the old signature's key. */
    @Test
    void aReleasedCopyIsSignedAgainWhenItsSelectorNowNamesAnotherKey() throws Exception {
        signingKey();
        rule("hold outbound", new RuleActions(null, false, true, null, null, null, null, null, null, false));
        assertThat(send("127.0.0.9", "bob@contoso.example", "partner@outside.example",
                "From: Bob <bob@contoso.example>\r\nTo: partner@outside.example\r\nSubject: contract\r\n\r\nsigned")).startsWith("250");
        String held = quarantine.search(Quarantine.Query.all(10)).getFirst().id();
        DkimSigningKey s1 = dkimKeys.keys(alice.organizationId()).stream().filter(k -> k.selector().equals("s1")).findFirst().orElseThrow();
        dkimKeys.delete(s1.id());
        KeyPair fresh = DkimKeys.generate(DkimKeys.KeyType.ED25519);
        dkimKeys.create(new DkimSigningKey("", alice.organizationId(), Domain.of("contoso.example"), "s1", "ED25519",
                DkimKeys.toPem(fresh.getPrivate()), DkimKeys.dnsRecord(fresh.getPublic()), true, Instant.now().plusSeconds(60)));

        var released = quarantine.release(held, List.of(), "admin", false).orElseThrow();

        byte[] copy = spool.history().stream().filter(m -> m.id().equals(released.queueId())).findFirst().orElseThrow().content();
        // the old signature stays: no stored key verifies it, so it is not known to be the organization's
        assertThat(new String(copy, StandardCharsets.UTF_8).split("DKIM-Signature:", -1)).as("signed again").hasSize(3);
        assertThat(dkim(fresh, "s1", copy)).isEqualTo(sluice.core.filter.dkim.DkimResult.Code.PASS);
    }

    /**
     * A review found that a topmost signature written "DKIM-Signature :" (blank before the colon) was found as the
     * organization's, but the next "DKIM-Signature:" field was the one removed.
     */
    @Test
    void aReleaseRemovesTheSignatureItFoundEvenWithABlankBeforeTheColon() throws Exception {
        KeyPair old = DkimKeys.generate(DkimKeys.KeyType.ED25519);
        dkimKeys.create(new DkimSigningKey("", alice.organizationId(), Domain.of("contoso.example"), "s0", "ED25519",
                DkimKeys.toPem(old.getPrivate()), DkimKeys.dnsRecord(old.getPublic()), false, Instant.now()));
        String message = "DKIM-Signature: v=1; a=ed25519-sha256; d=partner.example; s=x; h=from; bh=AAAA; b=AAAA\r\n"
                + "From: Bob <bob@contoso.example>\r\nTo: partner@outside.example\r\nSubject: contract\r\n\r\nsigned\r\n";
        var signed = (sluice.core.filter.dkim.SignResult.Signed) new sluice.core.filter.dkim.DkimSigner(Domain.of("contoso.example"), "s0",
                old.getPrivate(), InstantSource.system(), Duration.ZERO).sign(message.getBytes(StandardCharsets.UTF_8));
        String spaced = new String(signed.content(), StandardCharsets.UTF_8).replaceFirst("DKIM-Signature:", "DKIM-Signature :");
        assertThat(spaced).startsWith("DKIM-Signature :");
        rule("hold outbound", new RuleActions(null, false, true, null, null, null, null, null, null, false));
        assertThat(send("127.0.0.9", "bob@contoso.example", "partner@outside.example", spaced)).startsWith("250");
        String held = quarantine.search(Quarantine.Query.all(10)).getFirst().id();
        KeyPair active = signingKey();

        var released = quarantine.release(held, List.of(), "admin", false).orElseThrow();

        String copy = new String(spool.history().stream().filter(m -> m.id().equals(released.queueId())).findFirst().orElseThrow()
                .content(), StandardCharsets.UTF_8);
        assertThat(copy).doesNotContain("s=s0").contains("d=partner.example");
        assertThat(dkim(active, copy.getBytes(StandardCharsets.UTF_8))).isEqualTo(sluice.core.filter.dkim.DkimResult.Code.PASS);
    }

    private KeyPair signingKey() {
        KeyPair keys = DkimKeys.generate(DkimKeys.KeyType.ED25519);
        dkimKeys.create(new DkimSigningKey("", alice.organizationId(), Domain.of("contoso.example"), "s1", "ED25519",
                DkimKeys.toPem(keys.getPrivate()), DkimKeys.dnsRecord(keys.getPublic()), true, Instant.now()));
        return keys;
    }

    private byte[] sendAsBob() throws Exception {
        assertThat(send("127.0.0.9", "bob@contoso.example", "partner@outside.example",
                "From: Bob <bob@contoso.example>\r\nTo: partner@outside.example\r\nSubject: contract\r\n\r\nsigned")).startsWith("250");
        return spool.history().getLast().content();
    }

    private static sluice.core.filter.dkim.DkimResult.Code dkim(KeyPair keys, byte[] queued) {
        return dkim(keys, "s1", queued);
    }

    /** The result of the message's first DKIM signature, with only {@code selector}'s record published. */
    private static sluice.core.filter.dkim.DkimResult.Code dkim(KeyPair keys, String selector, byte[] queued) {
        String record = DkimKeys.dnsRecord(keys.getPublic());
        var dns = new sluice.core.dns.Dns() {
            @Override public List<Mx> mx(Domain d) throws NoSuchDomain { throw new NoSuchDomain("none"); }
            @Override public List<java.net.InetAddress> addresses(Domain d) throws NoSuchDomain { throw new NoSuchDomain("none"); }
            @Override public List<String> txt(Domain d) { return d.name().equals(selector + "._domainkey.contoso.example") ? List.of(record) : List.of(); }
        };
        return new sluice.core.filter.dkim.DkimVerifier(dns, InstantSource.system()).verify(queued).getFirst().code();
    }
}

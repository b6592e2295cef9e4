package sluice.core.queue;

import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueuedMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.connector.OutboundSelector;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.testing.MutableClock;
import sluice.core.trace.TraceEvent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries, expiry, delay notices and NDRs, driven by a hand-moved clock on a direct executor: no sleeps. */
class RetryExpiryAndNdrTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryMailboxStore mailboxes = new MemoryMailboxStore();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 try later", "host down"));
    private QueueRunner runner;
    private Mailbox alice;

    @BeforeEach
    void setUp() {
        var org = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(org.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        alice = directory.createMailbox(new Mailbox("x", org.id(), Address.parse("alice@contoso.example"), List.of(),
                "Alice", null, 0));
        Router router = new Router(directory, new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, router, new MailboxDelivery(mailboxes), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), trace, clock, Runnable::run, RetrySchedule.DEFAULT,
                10, "mx.sluice.test");
    }

    private QueuedMessage submit(String sender, Set<String> notify, String... rcpts) {
        QueueId id = QueueId.next(clock.instant());
        byte[] content = ("Subject: quarterly report\r\nMessage-ID: <m1@example.net>\r\n\r\nHello\r\n").getBytes(StandardCharsets.US_ASCII);
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), sender, null, null, "env-42",
                "192.0.2.7", "client.example.net", content, QueuedMessage.Origin.INTERNET, false, null, false);
        List<QueuedRecipient> rs = new ArrayList<>();
        for (int i = 0; i < rcpts.length; i++) {
            rs.add(new QueuedRecipient(id, i, Address.parse(rcpts[i]), notify, "rfc822;" + rcpts[i],
                    QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false));
        }
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m;
    }

    private List<QueuedMessage> bounces() {
        return spool.history().stream().filter(QueuedMessage::isBounce).toList();
    }

    @Test
    void deferredRecipientIsRetriedWithGrowingDelaysCappedAtAnHour() {
        QueuedMessage m = submit("bob@example.net", Set.of(), "carol@remote.example");
        assertThat(remote.recipients()).hasSize(1);
        List<Duration> gaps = new ArrayList<>();
        Instant last = T0;
        for (int i = 0; i < 9; i++) {
            Instant next = spool.recipients(m.id()).getFirst().nextAttemptAt();
            gaps.add(Duration.between(last, next));
            clock.advance(Duration.between(clock.instant(), next).minusSeconds(1));
            assertThat(runner.runDue()).as("not due a second early").isZero();
            clock.advance(Duration.ofSeconds(1));
            assertThat(runner.runDue()).isEqualTo(1);
            last = next;
        }
        assertThat(gaps).extracting(Duration::toMinutes).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(remote.recipients().stream().filter("carol@remote.example"::equals)).hasSize(10);
        assertThat(trace.typesFor("carol@remote.example")).containsOnly(TraceEvent.Type.DEFER, TraceEvent.Type.DSN);
        assertThat(spool.recipients(m.id()).getFirst().lastReply()).isEqualTo("421 4.4.0 try later");
    }

    @Test
    void afterTwentyFourHoursTheRecipientFailsAndTheSenderGetsOneNdr() {
        QueuedMessage m = submit("bob@example.net", Set.of(), "carol@remote.example");
        for (int i = 0; i < 200 && spool.message(m.id()).isPresent(); i++) {
            clock.advance(Duration.ofMinutes(60));
            runner.runDue();
        }
        assertThat(spool.message(m.id())).as("the original leaves the queue").isEmpty();
        assertThat(Duration.between(T0, clock.instant())).isBetween(Duration.ofHours(24), Duration.ofHours(25));
        List<String> types = trace.typesFor("carol@remote.example").stream().map(Enum::name).toList();
        assertThat(types).contains("FAIL", "DSN");
        assertThat(types.stream().filter("FAIL"::equals)).hasSize(1);

        List<QueuedMessage> ndrs = bounces().stream().filter(b -> text(b).contains("Undeliverable")).toList();
        assertThat(ndrs).hasSize(1);
        String ndr = text(ndrs.getFirst());
        assertThat(ndr).contains("Content-Type: multipart/report; report-type=delivery-status")
                .contains("Subject: Undeliverable: quarterly report")
                .contains("could not be delivered within 24 hours")
                .contains("Final-Recipient: rfc822; carol@remote.example")
                .contains("Original-Recipient: rfc822;carol@remote.example")
                .contains("Original-Envelope-Id: env-42")
                .contains("Action: failed")
                .contains("Status: 4.4.0")
                .contains("Diagnostic-Code: smtp; 421 4.4.0 try later")
                .contains("Content-Type: text/rfc822-headers")
                .contains("Message-ID: <m1@example.net>")
                .doesNotContain("\r\nHello\r\n");
        assertThat(spool.recipients(ndrs.getFirst().id())).extracting(r -> r.address().toString())
                .containsExactly("bob@example.net");
    }

    @Test
    void aDelayNoticeGoesOutOnceAfterFourHours() {
        submit("bob@example.net", Set.of(), "carol@remote.example");
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofMinutes(60));
            runner.runDue();
        }
        List<QueuedMessage> notices = bounces().stream().filter(b -> text(b).contains("Subject: Delayed: ")).toList();
        assertThat(notices).hasSize(1);
        assertThat(text(notices.getFirst())).contains("Action: delayed").contains("Will-Retry-Until: ");
    }

    @Test
    void permanentFailureBouncesAtOnceButNeverABounce() {
        remote.answer(r -> new Outcome.Bounced("550 5.1.1 User unknown", "remote said no"));
        submit("bob@example.net", Set.of(), "nobody@remote.example");
        assertThat(bounces()).hasSize(1);
        assertThat(text(bounces().getFirst())).contains("Status: 5.1.1").contains("550 5.1.1 User unknown");

        // the NDR itself went to bob@example.net, which refused it too: that must not produce another
        assertThat(remote.recipients()).containsExactly("nobody@remote.example", "bob@example.net");
        QueuedMessage bounce = submit("", Set.of(), "nobody@remote.example");
        assertThat(spool.message(bounce.id())).isEmpty();
        assertThat(bounces()).as("no bounce for a bounce").hasSize(2).last().isSameAs(bounce);
    }

    @Test
    void notifyNeverSuppressesTheNdrAndNotifySuccessReportsMailboxDelivery() {
        remote.answer(r -> new Outcome.Bounced("550 5.1.1 User unknown", "remote said no"));
        submit("bob@example.net", Set.of("NEVER"), "nobody@remote.example");
        assertThat(bounces()).isEmpty();

        submit("bob@example.net", Set.of("SUCCESS"), "alice@contoso.example");
        assertThat(mailboxes.list(alice.id(), sluice.core.mailbox.MailboxStore.Folder.INBOX)).hasSize(1);
        assertThat(bounces()).hasSize(1);
        assertThat(text(bounces().getFirst())).contains("Action: delivered").contains("Status: 2.0.0");
    }

    @Test
    void mailboxDeliveryPrependsReturnPathAndTracesDeliver() {
        QueuedMessage m = submit("bob@example.net", Set.of(), "Alice@Contoso.example");
        assertThat(spool.message(m.id())).isEmpty();
        String stored = new String(mailboxes.content(alice.id(), 1), StandardCharsets.UTF_8);
        assertThat(stored).startsWith("Return-Path: <bob@example.net>\r\nDelivered-To: alice@contoso.example\r\n");
        assertThat(trace.typesFor("Alice@contoso.example")).containsExactly(TraceEvent.Type.DELIVER);
    }

    @Test
    void aRefusedRoutesReasonIsTracedButNotToldToTheSender() {
        submit("bob@example.net", Set.of(), "nobody@contoso.example"); // no such mailbox in an Authoritative domain
        assertThat(bounces()).hasSize(1);
        String ndr = text(bounces().getFirst());
        assertThat(ndr).contains("Status: 5.4.1").doesNotContain("Authoritative domain");
        assertThat(trace.all()).anyMatch(e -> e.detail() != null && e.detail().contains("in Authoritative domain contoso.example"));
    }

    @Test
    void adminRemovalWithNdrFailsTheRestAndNotifiesTheSender() {
        QueuedMessage m = submit("bob@example.net", Set.of(), "carol@remote.example");
        assertThat(runner.remove(m.id(), true)).isEqualTo(QueueAdmin.Change.DONE);
        assertThat(spool.message(m.id())).isEmpty();
        assertThat(bounces()).hasSize(1);
        assertThat(text(bounces().getFirst())).contains("removed from the queue by an administrator");

        QueuedMessage quiet = submit("bob@example.net", Set.of(), "dave@remote.example");
        assertThat(runner.remove(quiet.id(), false)).isEqualTo(QueueAdmin.Change.DONE);
        assertThat(bounces()).hasSize(1);
        assertThat(runner.remove(quiet.id(), false)).isEqualTo(QueueAdmin.Change.NOT_QUEUED);
    }

    @Test
    void retryNowMakesDeferredRecipientsDueImmediately() {
        QueuedMessage m = submit("bob@example.net", Set.of(), "carol@remote.example");
        remote.answer(r -> new Outcome.Delivered("250 2.0.0 Ok", "accepted", "mx.remote.example", null));
        assertThat(runner.retryNow(m.id())).isTrue();
        assertThat(remote.recipients()).hasSize(2);
        assertThat(spool.message(m.id())).isEmpty();
        assertThat(trace.typesFor("carol@remote.example")).containsExactly(TraceEvent.Type.DEFER, TraceEvent.Type.SEND);
    }

    private static String text(QueuedMessage m) {
        return new String(m.content(), StandardCharsets.UTF_8);
    }
}

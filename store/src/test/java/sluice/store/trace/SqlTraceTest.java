package sluice.store.trace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.quarantine.QuarantinedMessage;
import sluice.core.trace.Trace.Flow;
import sluice.core.trace.Trace.HourlyCount;
import sluice.core.trace.Trace.MessageSummary;
import sluice.core.trace.Trace.Query;
import sluice.core.trace.Trace.Status;
import sluice.core.trace.TraceEvent;
import sluice.core.trace.TraceEvent.Type;
import sluice.store.EmbeddedStore;
import sluice.store.db.BatchedDelete;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.store.Fixtures.message;
import static sluice.store.Fixtures.nextId;
import static sluice.store.Fixtures.recipients;

class SqlTraceTest {
    static final Instant T0 = Instant.parse("2025-10-01T12:00:00Z");
    @TempDir
    Path dir;
    EmbeddedStore store;
    SqlTrace trace;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.system());
        trace = store.trace();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static TraceEvent event(NetworkMessageId id, int second, Type type, String org, String sender, String recipient) {
        return new TraceEvent(T0.plusSeconds(second), type, id, new QueueId("0199C82CC2076D0060B3"), "<abc-" + id + "@mail.example>",
                org, sender, recipient, "Subject of " + id, 4096, "192.0.2.7", "TLSv1.3", "250 ok", "detail " + type);
    }

    private static Query query() {
        return new Query(null, null, null, null, null, null, null, 0);
    }

    /** One message to two recipients: one delivered, one deferred then failed. Another message received only. */
    private NetworkMessageId[] scenario() {
        NetworkMessageId a = NetworkMessageId.random(), b = NetworkMessageId.random();
        trace.record(event(a, 0, Type.RECEIVE, "org-1", "Alice@Contoso.com", "bob@fabrikam.com"));
        trace.record(event(a, 0, Type.RECEIVE, "org-1", "Alice@Contoso.com", "carol@fabrikam.com"));
        trace.record(event(a, 1, Type.FILTER, "org-1", "Alice@Contoso.com", "bob@fabrikam.com"));
        trace.record(event(a, 2, Type.SEND, "org-1", "Alice@Contoso.com", "bob@fabrikam.com"));
        trace.record(event(a, 2, Type.DEFER, "org-1", "Alice@Contoso.com", "carol@fabrikam.com"));
        trace.record(event(a, 9, Type.FAIL, "org-1", "Alice@Contoso.com", "carol@fabrikam.com"));
        trace.record(event(b, 60, Type.RECEIVE, "org-2", "", "dave@contoso.com"));
        trace.flush();
        return new NetworkMessageId[]{a, b};
    }

    @Test
    void mailFlowCountsEventsPerHourAndStepTellingRejectionsFromBounces() {
        scenario(); // 12:00:00-12:01:00: 3 RECEIVE, 1 SEND, 1 DEFER, 1 FAIL (a bounce), 1 FILTER
        NetworkMessageId c = NetworkMessageId.random();
        trace.record(new TraceEvent(T0.plusSeconds(3600), Type.RECEIVE, c, null, null, "org-1", "x@y.example", "bob@fabrikam.com",
                null, 1, null, null, null, null));
        trace.record(new TraceEvent(T0.plusSeconds(3600), Type.FAIL, c, null, null, "org-1", "x@y.example", "bob@fabrikam.com",
                null, 1, null, null, "550 5.7.1 malware", TraceEvent.REJECTED + "malware (EICAR)"));
        trace.flush();

        List<HourlyCount> all = trace.mailFlow(null, T0, T0.plusSeconds(7200));
        assertThat(all).containsExactlyInAnyOrder(
                new HourlyCount(T0, Flow.RECEIVED, 3), new HourlyCount(T0, Flow.DELIVERED, 1),
                new HourlyCount(T0, Flow.DEFERRED, 1), new HourlyCount(T0, Flow.FAILED, 1),
                new HourlyCount(T0.plusSeconds(3600), Flow.RECEIVED, 1), new HourlyCount(T0.plusSeconds(3600), Flow.REJECTED, 1));
        assertThat(trace.mailFlow(List.of("org-2"), T0, T0.plusSeconds(7200)))
                .containsExactly(new HourlyCount(T0, Flow.RECEIVED, 1));
        assertThat(trace.mailFlow(List.of(), T0, T0.plusSeconds(7200))).isEmpty();
        assertThat(trace.mailFlow(null, T0.plusSeconds(3600), T0.plusSeconds(3600))).as("an empty range").isEmpty();
    }

    @Test
    void eventsOfAMessageComeBackInOrderWithEveryField() {
        NetworkMessageId a = scenario()[0];
        List<TraceEvent> events = trace.events(a.toString());
        assertThat(events).extracting(TraceEvent::type)
                .containsExactly(Type.RECEIVE, Type.RECEIVE, Type.FILTER, Type.SEND, Type.DEFER, Type.FAIL);
        assertThat(events.getFirst()).isEqualTo(event(a, 0, Type.RECEIVE, "org-1", "Alice@Contoso.com", "bob@fabrikam.com"));
        assertThat(trace.events(NetworkMessageId.random().toString())).isEmpty();
    }

    @Test
    void searchSummarisesEachRecipientWithItsLatestStatusNewestFirst() {
        NetworkMessageId[] ids = scenario();
        List<MessageSummary> all = trace.search(query());
        assertThat(all).extracting(MessageSummary::recipient, MessageSummary::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dave@contoso.com", Status.RECEIVED),
                org.assertj.core.groups.Tuple.tuple("bob@fabrikam.com", Status.DELIVERED),
                org.assertj.core.groups.Tuple.tuple("carol@fabrikam.com", Status.FAILED));
        MessageSummary bob = all.get(1);
        assertThat(bob).isEqualTo(new MessageSummary(ids[0].toString(), "<abc-" + ids[0] + "@mail.example>", T0,
                "Alice@Contoso.com", "bob@fabrikam.com", "Subject of " + ids[0], Status.DELIVERED, "org-1", 4096));
    }

    @Test
    void aLateOlderEventDoesNotOverwriteANewerStatus() {
        NetworkMessageId a = NetworkMessageId.random();
        trace.record(event(a, 0, Type.RECEIVE, "o", "s@x.com", "r@y.com"));
        trace.record(event(a, 10, Type.DELIVER, "o", "s@x.com", "r@y.com"));
        trace.flush();
        trace.record(event(a, 5, Type.DEFER, "o", "s@x.com", "r@y.com"));
        trace.record(event(a, 11, Type.DSN, "o", "s@x.com", "r@y.com"));
        trace.flush();
        assertThat(trace.search(query())).extracting(MessageSummary::status).containsExactly(Status.DELIVERED);
        trace.record(event(a, 20, Type.QUARANTINE, "o", "s@x.com", "r@y.com"));
        trace.flush();
        assertThat(trace.search(query())).extracting(MessageSummary::status).containsExactly(Status.QUARANTINED);
    }

    @Test
    void searchFiltersByOrganizationSenderRecipientTimeStatusAndMessageId() {
        NetworkMessageId[] ids = scenario();
        String a = ids[0].toString(), b = ids[1].toString();
        assertThat(ids(new Query(List.of("org-2"), null, null, null, null, null, null, 0))).containsExactly(b);
        assertThat(ids(new Query(List.of(), null, null, null, null, null, null, 0))).isEmpty();
        // exact sender, case-insensitive; the null sender is the empty string
        assertThat(ids(new Query(null, "alice@contoso.com", null, null, null, null, null, 0))).containsOnly(a);
        assertThat(ids(new Query(null, "alice", null, null, null, null, null, 0))).isEmpty();
        assertThat(ids(new Query(null, "", null, null, null, null, null, 0))).containsExactly(b);
        // wildcards as in EOP
        assertThat(ids(new Query(null, "*@CONTOSO.com", null, null, null, null, null, 0))).containsOnly(a);
        assertThat(ids(new Query(null, null, "*@fabrikam.com", null, null, null, null, 0))).containsExactly(a, a);
        assertThat(ids(new Query(null, null, "car*", null, null, null, null, 0))).containsExactly(a);
        assertThat(ids(new Query(null, null, "%", null, null, null, null, 0))).isEmpty(); // % is not a wildcard
        assertThat(ids(new Query(null, null, null, T0.plusSeconds(30), null, null, null, 0))).containsExactly(b);
        assertThat(ids(new Query(null, null, null, null, T0.plusSeconds(30), null, null, 0))).containsExactly(a, a);
        assertThat(ids(new Query(null, null, null, null, null, Status.FAILED, null, 0))).containsExactly(a);
        assertThat(ids(new Query(null, null, null, null, null, null, "abc-" + b + "@mail.example", 0))).containsExactly(b);
        assertThat(ids(new Query(null, null, null, null, null, null, "<abc-" + b + "@mail.example>", 0))).containsExactly(b);
        assertThat(ids(new Query(null, null, null, null, null, null, null, 1))).containsExactly(b);
    }

    /**
     * A submission split per organization: both copies share the network message id, and both name
     * the same outside recipient (a Bcc rule in each organization, say). Each organization's copy has
     * a summary of its own, with its own status; neither shows in the other's search.
     */
    @Test
    void eachOrganizationsCopyToTheSameRecipientIsSummarisedOnItsOwn() {
        NetworkMessageId a = NetworkMessageId.random();
        trace.record(event(a, 0, Type.RECEIVE, "org-1", "alice@contoso.com", "partner@outside.example"));
        trace.record(event(a, 0, Type.RECEIVE, "org-2", "alice@contoso.com", "Partner@Outside.example"));
        trace.record(event(a, 1, Type.SEND, "org-1", "alice@contoso.com", "partner@outside.example"));
        trace.record(event(a, 2, Type.QUARANTINE, "org-2", "alice@contoso.com", "Partner@Outside.example"));
        trace.flush();

        assertThat(trace.search(new Query(List.of("org-1"), null, null, null, null, null, null, 0)))
                .extracting(MessageSummary::networkMessageId, MessageSummary::organizationId, MessageSummary::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(a.toString(), "org-1", Status.DELIVERED));
        assertThat(trace.search(new Query(List.of("org-2"), null, "partner@outside.example", null, null, null, null, 0)))
                .extracting(MessageSummary::recipient, MessageSummary::organizationId, MessageSummary::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Partner@Outside.example", "org-2", Status.QUARANTINED));
        assertThat(trace.search(new Query(List.of("org-2"), null, null, null, null, null, "abc-" + a + "@mail.example", 0)))
                .as("one organization's look at the message by its Message-ID").extracting(MessageSummary::organizationId)
                .containsExactly("org-2");
        assertThat(trace.search(query())).as("a global administrator sees both copies")
                .extracting(MessageSummary::organizationId, MessageSummary::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("org-1", Status.DELIVERED),
                        org.assertj.core.groups.Tuple.tuple("org-2", Status.QUARANTINED));
    }

    /**
     * Mail of no organization (a postmaster stand-in's copy) is summarised once per recipient however
     * many of its events there are, apart from any organization's copy, and shown to a global
     * administrator only.
     */
    @Test
    void eventsOfNoOrganizationShareOneSummaryPerRecipientSeenOnlyUnscoped() {
        NetworkMessageId a = NetworkMessageId.random();
        trace.record(event(a, 0, Type.RECEIVE, null, "sam@outside.example", "postmaster@contoso.com"));
        trace.record(event(a, 0, Type.RECEIVE, "org-1", "sam@outside.example", "postmaster@contoso.com"));
        trace.record(event(a, 1, Type.DEFER, null, "sam@outside.example", "postmaster@contoso.com"));
        trace.record(event(a, 2, Type.FAIL, null, "sam@outside.example", "postmaster@contoso.com"));
        trace.flush();

        assertThat(trace.search(query())).extracting(MessageSummary::organizationId, MessageSummary::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, Status.FAILED),
                        org.assertj.core.groups.Tuple.tuple("org-1", Status.RECEIVED));
        assertThat(trace.search(new Query(List.of("org-1"), null, null, null, null, null, null, 0)))
                .extracting(MessageSummary::organizationId).containsExactly("org-1");
        assertThat(trace.search(new Query(List.of(""), null, null, null, null, null, null, 0)))
                .as("no organization is not an organization id").isEmpty();
    }

    @Test
    void recordDoesNotWaitAndEventsBecomeSearchableInTheBackground() throws Exception {
        NetworkMessageId a = NetworkMessageId.random();
        trace.record(event(a, 0, Type.RECEIVE, "o", "s@x.com", "r@y.com"));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (trace.events(a.toString()).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(trace.events(a.toString())).hasSize(1);
    }

    @Test
    void manyEventsAreWrittenInBatchesAndSurviveAReopen() {
        NetworkMessageId a = NetworkMessageId.random();
        long commitsBefore = store.writer().commitCount();
        for (int i = 0; i < 5_000; i++) trace.record(event(a, i, Type.DEFER, "o", "s@x.com", "r" + (i % 50) + "@y.com"));
        trace.flush();
        assertThat(store.writer().commitCount() - commitsBefore).as("commits for 5000 events").isLessThan(100);
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
        trace = store.trace();
        assertThat(trace.events(a.toString())).hasSize(5_000);
        assertThat(trace.search(query())).hasSize(50).allMatch(s -> s.status() == Status.PENDING);
        assertThat(trace.droppedCount()).isZero();
        // new events after a restart sort after the old ones even at the same instant
        trace.record(event(a, 4_999, Type.DELIVER, "o", "s@x.com", "r49@y.com"));
        trace.flush();
        assertThat(trace.events(a.toString()).getLast().type()).isEqualTo(Type.DELIVER);
    }

    @Test
    void aFullBufferDropsAndCountsInsteadOfBlocking() {
        sluice.store.db.ReadPool readers = readersOf(store);
        SqlTrace tiny = new SqlTrace(store.writer(), readers, 10);
        try {
            NetworkMessageId a = NetworkMessageId.random();
            // the background thread may drain some meanwhile, but 10 000 records cannot all fit
            for (int i = 0; i < 10_000; i++) tiny.record(event(a, i, Type.DEFER, "o", "s@x.com", "r@y.com"));
            tiny.flush();
            assertThat(tiny.droppedCount()).isPositive();
            assertThat(tiny.events(a.toString()).size() + tiny.droppedCount()).isEqualTo(10_000);
        } finally {
            tiny.close();
            readers.close();
        }
    }

    private sluice.store.db.ReadPool readersOf(EmbeddedStore store) {
        return new sluice.store.db.ReadPool(List.of(sluice.store.db.Sqlite.openReader(dir.resolve("sluice.db"))));
    }

    private List<String> ids(Query q) {
        return trace.search(q).stream().map(MessageSummary::networkMessageId).toList();
    }

    /** Retention: old events go, in batches, except those of messages still in our custody. */
    @Nested
    class Retention {
        static final Instant CUTOFF = T0.plus(Duration.ofDays(1));

        private void record(NetworkMessageId id, Instant at, Type type, String recipient) {
            record(id, at, type, "org-1", recipient);
        }

        private void record(NetworkMessageId id, Instant at, Type type, String org, String recipient) {
            trace.record(new TraceEvent(at, type, id, null, "<" + id + "@mail.example>", org, "alice@contoso.com",
                    recipient, "hello", 100, null, null, null, null));
        }

        private List<String> searchedRecipients() {
            return trace.search(new Query(null, null, null, null, null, null, null, 1000)).stream()
                    .map(MessageSummary::recipient).toList();
        }

        @Test
        void eventsOlderThanTheCutOffGoAndNewerOnesStay() {
            NetworkMessageId old = NetworkMessageId.random(), slow = NetworkMessageId.random(), recent = NetworkMessageId.random();
            record(old, T0, Type.RECEIVE, "old@fabrikam.com");
            record(old, T0.plusSeconds(1), Type.SEND, "old@fabrikam.com");
            // received before the cut-off, deferred, delivered after it: its summary stays searchable
            record(slow, T0, Type.RECEIVE, "slow@fabrikam.com");
            record(slow, T0.plusSeconds(60), Type.DEFER, "slow@fabrikam.com");
            record(slow, CUTOFF.plusSeconds(60), Type.SEND, "slow@fabrikam.com");
            record(recent, CUTOFF, Type.RECEIVE, "recent@fabrikam.com");
            trace.flush();

            assertThat(trace.purgeBefore(CUTOFF)).isEqualTo(4);

            assertThat(trace.events(old.toString())).isEmpty();
            assertThat(trace.events(slow.toString())).extracting(TraceEvent::type).containsExactly(Type.SEND);
            assertThat(trace.events(recent.toString())).extracting(TraceEvent::type).containsExactly(Type.RECEIVE);
            assertThat(searchedRecipients()).containsExactlyInAnyOrder("slow@fabrikam.com", "recent@fabrikam.com");
            assertThat(trace.purgeBefore(CUTOFF)).as("nothing left to purge").isZero();
        }

        @Test
        void eachOrganizationsSummaryOfARecipientGoesWhenItsOwnStatusIsOld() {
            NetworkMessageId split = NetworkMessageId.random();
            record(split, T0, Type.RECEIVE, "org-1", "partner@outside.example");
            record(split, T0.plusSeconds(1), Type.SEND, "org-1", "partner@outside.example");
            // org-2's copy to the same recipient took until after the cut-off
            record(split, T0, Type.RECEIVE, "org-2", "partner@outside.example");
            record(split, CUTOFF.plusSeconds(60), Type.SEND, "org-2", "partner@outside.example");
            trace.flush();

            assertThat(trace.purgeBefore(CUTOFF)).isEqualTo(3);

            assertThat(trace.search(new Query(null, null, null, null, null, null, null, 1000)))
                    .extracting(MessageSummary::organizationId, MessageSummary::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("org-2", Status.DELIVERED));
        }

        @Test
        void theTraceOfAMessageStillQueuedIsKeptUntilItsLastRecipientIsDone() {
            QueueId id = nextId();
            QueuedMessage deferred = message(id, 100);
            List<QueuedRecipient> rcpts = recipients(id, "a@fabrikam.com", "b@fabrikam.com");
            store.spool().enqueue(deferred, rcpts);
            record(deferred.networkId(), T0, Type.RECEIVE, "a@fabrikam.com");
            record(deferred.networkId(), T0, Type.DELIVER, "a@fabrikam.com");
            record(deferred.networkId(), T0, Type.DEFER, "b@fabrikam.com");
            trace.flush();
            store.spool().update(List.of(rcpts.get(0).delivered("250 ok")), List.of());

            assertThat(trace.purgeBefore(CUTOFF)).as("b@ is still queued").isZero();
            assertThat(trace.events(deferred.networkId().toString())).hasSize(3);
            assertThat(searchedRecipients()).containsExactlyInAnyOrder("a@fabrikam.com", "b@fabrikam.com");

            store.spool().update(List.of(rcpts.get(1).failed("550 no such user")), List.of());
            assertThat(trace.purgeBefore(CUTOFF)).isEqualTo(3);
            assertThat(searchedRecipients()).isEmpty();
        }

        @Test
        void theTraceOfAMessageHeldInQuarantineIsKeptWhileItIsHeld() {
            NetworkMessageId held = NetworkMessageId.random();
            byte[] content = "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
            var entry = new QuarantineEntry(QueueId.next(T0).value(), "org-1", held, T0, T0.plus(Duration.ofDays(30)),
                    "alice@contoso.com", List.of(Address.parse("bob@fabrikam.com")), QuarantineReason.PHISH, "phish",
                    "hello", null, content.length, QueuedMessage.Origin.INTERNET, false, "192.0.2.1", "mx.example", null,
                    sluice.core.quarantine.DsnRequest.none(1), List.of(), null, null, false);
            store.quarantine().save(new QuarantinedMessage(entry, content));
            record(held, T0, Type.RECEIVE, "bob@fabrikam.com");
            record(held, T0, Type.QUARANTINE, "bob@fabrikam.com");
            trace.flush();

            assertThat(trace.purgeBefore(CUTOFF)).isZero();
            store.quarantine().delete(entry.id());
            assertThat(trace.purgeBefore(CUTOFF)).isEqualTo(2);
        }

        @Test
        void moreRowsThanOneBatchAllGoOneBatchPerWriteTask() {
            int messages = BatchedDelete.BATCH + 1;
            for (int i = 0; i < messages; i++) {
                NetworkMessageId id = NetworkMessageId.random();
                record(id, T0, Type.RECEIVE, "r" + i + "@fabrikam.com");
                record(id, T0.plusSeconds(1), Type.SEND, "r" + i + "@fabrikam.com");
            }
            trace.flush();
            long tasksBefore = store.writer().taskCount();

            assertThat(trace.purgeBefore(CUTOFF)).isEqualTo(2L * messages);

            // events: 5000 + 5000 + 2; summaries: 5000 + 1. One statement would have been two tasks.
            assertThat(store.writer().taskCount() - tasksBefore).isEqualTo(5);
            assertThat(searchedRecipients()).isEmpty();
        }
    }
}

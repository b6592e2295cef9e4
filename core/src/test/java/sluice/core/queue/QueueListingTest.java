package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** An organization's administrator lists the queue: sizes and recipients without reading any message body. */
class QueueListingTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void listingReadsNoBodiesAndOnlyTheListedMessagesRecipients() {
        CountingSpool spool = new CountingSpool();
        for (int i = 0; i < 20; i++) {
            QueueId id = QueueId.next(T0);
            String org = i % 4 == 0 ? "contoso" : "fabrikam";
            byte[] content = ("Subject: hi\r\n\r\n" + "x".repeat(i) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            spool.enqueue(new QueuedMessage(id, NetworkMessageId.random(), T0, "bob@example.net", org, null, null,
                    "192.0.2.7", "client.example.net", content), List.of(new QueuedRecipient(id, 0,
                    Address.parse("carol@remote.example"), Set.of(), null, QueuedRecipient.State.QUEUED, 1, T0, null, false)));
        }
        Router router = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        QueueRunner runner = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()),
                new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 later", "later")),
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), new MutableClock(T0), Runnable::run,
                RetrySchedule.DEFAULT, 10, "mx.sluice.test");

        List<QueueAdmin.Entry> contoso = runner.list(List.of("contoso"), 100);

        assertThat(contoso).hasSize(5).allMatch(e -> e.organizationId().equals("contoso"));
        assertThat(contoso).extracting(QueueAdmin.Entry::size).containsExactlyInAnyOrder(17L, 21L, 25L, 29L, 33L);
        assertThat(contoso.getFirst().recipients()).extracting(r -> r.address().toString()).containsExactly("carol@remote.example");
        assertThat(runner.get(contoso.get(1).id()).orElseThrow().size()).isEqualTo(contoso.get(1).size());
        assertThat(spool.bodiesRead.get()).as("message bodies read").isZero();
        assertThat(spool.recipientReads.get()).as("recipients read only for the listed messages").isEqualTo(6);
    }

    private static final class CountingSpool implements Spool {
        private final MemorySpool delegate = new MemorySpool();
        final AtomicInteger bodiesRead = new AtomicInteger();
        final AtomicInteger recipientReads = new AtomicInteger();

        @Override
        public void enqueue(QueuedMessage message, List<QueuedRecipient> recipients) {
            delegate.enqueue(message, recipients);
        }

        @Override
        public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
            delegate.update(recipients, generated);
        }

        @Override
        public Optional<QueuedMessage> message(QueueId id) {
            bodiesRead.incrementAndGet();
            return delegate.message(id);
        }

        @Override
        public Optional<Envelope> envelope(QueueId id) {
            return delegate.envelope(id);
        }

        @Override
        public List<QueuedRecipient> recipients(QueueId id) {
            recipientReads.incrementAndGet();
            return delegate.recipients(id);
        }

        @Override
        public List<QueueId> pending() {
            return delegate.pending();
        }

        @Override
        public void delete(QueueId id) {
            delegate.delete(id);
        }
    }
}

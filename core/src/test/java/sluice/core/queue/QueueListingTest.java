package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.ForwardingSpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** An organization's administrator lists the queue: sizes and recipients without reading any message body. */
class QueueListingTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void listingReadsNoBodiesAndOnlyTheListedMessagesRecipients() {
        CountingSpool spool = new CountingSpool();
        for (int i = 0; i < 20; i++) {
            QueuedMessage m = QueueScenarios.message(T0, i % 4 == 0 ? "contoso" : "fabrikam", "x".repeat(i));
            spool.enqueue(m, QueueScenarios.recipients(m, T0, "carol@remote.example"));
        }
        QueueRunner runner = QueueScenarios.runner(spool, new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 later", "later")),
                new MutableClock(T0), Runnable::run, 10);

        List<QueueAdmin.Entry> contoso = runner.list(List.of("contoso"), 100);

        assertThat(contoso).hasSize(5).allMatch(e -> e.organizationId().equals("contoso"));
        assertThat(contoso).extracting(QueueAdmin.Entry::size).containsExactlyInAnyOrder(17L, 21L, 25L, 29L, 33L);
        assertThat(contoso.getFirst().recipients()).extracting(r -> r.address().toString()).containsExactly("carol@remote.example");
        assertThat(runner.get(contoso.get(1).id()).orElseThrow().size()).isEqualTo(contoso.get(1).size());
        assertThat(spool.bodiesRead.get()).as("message bodies read").isZero();
        assertThat(spool.recipientReads.get()).as("recipients read only for the listed messages").isEqualTo(6);
    }

    private static final class CountingSpool extends ForwardingSpool {
        final AtomicInteger bodiesRead = new AtomicInteger();
        final AtomicInteger recipientReads = new AtomicInteger();

        @Override
        public Optional<QueuedMessage> message(QueueId id) {
            bodiesRead.incrementAndGet();
            return super.message(id);
        }

        @Override
        public List<QueuedRecipient> recipients(QueueId id) {
            recipientReads.incrementAndGet();
            return super.recipients(id);
        }
    }
}

package sluice.store.quarantine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Address;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.quarantine.QuarantineService;
import sluice.core.queue.Spool;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two helpdesk users release the same held message at the same instant, on two nodes sharing one
 * store (two services, each with its own memory): both read the entry before either records the
 * release, both queue a copy, and still each recipient gets one copy, because the store marks a
 * recipient released once. The second release says it was released already.
 */
class ConcurrentReleaseTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;
    private EmbeddedStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    @Test
    void twoNodesReleasingTheSameRecipientAtOnceDeliverOneCopy() throws Exception {
        store = EmbeddedStore.open(dir, InstantSource.fixed(T0));
        CyclicBarrier bothQueued = new CyclicBarrier(2);
        List<QueuedMessage> submitted = new CopyOnWriteArrayList<>();
        Spool meeting = new MeetingSpool(store.spool(), bothQueued);
        Quarantine node1 = node(meeting, submitted);
        Quarantine node2 = node(meeting, submitted);
        QueuedMessage received = Fixtures.message(Fixtures.nextId(), 200);
        String held = node1.quarantine(received, Fixtures.recipients(received.id(), "bob@contoso.example", "carol@contoso.example"),
                QuarantineReason.SPAM, "spam").id();
        Address bob = Address.parse("bob@contoso.example");

        var pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<Quarantine.Released>> first = pool.submit(() -> node1.release(held, List.of(bob), "helpdesk1", false));
            Future<Optional<Quarantine.Released>> second = pool.submit(() -> node2.release(held, List.of(bob), "helpdesk2", false));
            List<Quarantine.Released> results = List.of(first.get(10, TimeUnit.SECONDS).orElseThrow(),
                    second.get(10, TimeUnit.SECONDS).orElseThrow());

            assertThat(results).filteredOn(r -> r.queueId() != null).singleElement()
                    .satisfies(r -> assertThat(r.recipients()).containsExactly(bob));
            assertThat(results).filteredOn(r -> r.queueId() == null).singleElement()
                    .satisfies(r -> assertThat(r.alreadyReleased()).containsExactly(bob));
        } finally {
            pool.shutdownNow();
        }
        assertThat(submitted).hasSize(1);
        List<QueueId> queued = store.spool().pending();
        assertThat(queued).as("the losing copy is withdrawn").containsExactly(submitted.getFirst().id());
        assertThat(store.spool().recipients(queued.getFirst())).extracting(QueuedRecipient::address).containsExactly(bob);
        assertThat(store.quarantine().entry(held).orElseThrow().releasedTo()).containsExactly(bob);
    }

    private Quarantine node(Spool spool, List<QueuedMessage> submitted) {
        return new QuarantineService(store.quarantine(), spool, store.trace(), InstantSource.fixed(T0), QuarantinePolicy.DEFAULT,
                (m, r) -> submitted.add(m));
    }

    /** The shared spool, where each release waits after queuing its copy until the other has queued its own. */
    private record MeetingSpool(Spool spool, CyclicBarrier bothQueued) implements Spool {
        @Override
        public void enqueue(QueuedMessage message, List<QueuedRecipient> recipients) {
            spool.enqueue(message, recipients);
            try {
                bothQueued.await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the two releases did not both queue a copy", e);
            }
        }

        @Override
        public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
            spool.update(recipients, generated);
        }

        @Override
        public Optional<QueuedMessage> message(QueueId id) {
            return spool.message(id);
        }

        @Override
        public Optional<Envelope> envelope(QueueId id) {
            return spool.envelope(id);
        }

        @Override
        public List<QueuedRecipient> recipients(QueueId id) {
            return spool.recipients(id);
        }

        @Override
        public List<QueueId> pending() {
            return spool.pending();
        }

        @Override
        public void delete(QueueId id) {
            spool.delete(id);
        }
    }
}

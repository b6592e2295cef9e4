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
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two helpdesk users release the same held message at the same instant, on two nodes sharing one
 * store (two services, each with its own memory): both read the entry before either records the
 * release, and still each recipient gets one copy, because the store marks a
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
        List<QueuedMessage> submitted = new CopyOnWriteArrayList<>();
        // a release reads the clock once, after reading the entry and before queuing its copy: there the two meet
        CyclicBarrier bothRead = new CyclicBarrier(2);
        AtomicBoolean meeting = new AtomicBoolean();
        InstantSource clock = () -> {
            if (meeting.get()) await(bothRead);
            return T0;
        };
        Quarantine node1 = node(clock, submitted);
        Quarantine node2 = node(clock, submitted);
        QueuedMessage received = Fixtures.message(Fixtures.nextId(), 200);
        String held = node1.quarantine(received, Fixtures.recipients(received.id(), "bob@contoso.example", "carol@contoso.example"),
                QuarantineReason.SPAM, "spam").id();
        Address bob = Address.parse("bob@contoso.example");
        meeting.set(true);

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

    private Quarantine node(InstantSource clock, List<QueuedMessage> submitted) {
        return new QuarantineService(store.quarantine(), store.spool(), store.trace(), clock, QuarantinePolicy.DEFAULT,
                (m, r) -> submitted.add(m));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the two releases did not both read the entry", e);
        }
    }
}

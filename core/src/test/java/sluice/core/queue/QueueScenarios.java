package sluice.core.queue;

import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
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
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.trace.Trace;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/** What queue scenarios set up alike: a message from bob@example.net, its waiting recipients, a runner with no hosted domains. */
final class QueueScenarios {

    static final String HOSTNAME = "mx.sluice.test";

    private QueueScenarios() {
    }

    /** A message received at {@code at} from bob@example.net, attributed to {@code organizationId} (may be null). */
    static QueuedMessage message(Instant at, String organizationId, String body) {
        return new QueuedMessage(QueueId.next(at), NetworkMessageId.random(), at, "bob@example.net", organizationId, null,
                null, "192.0.2.7", "client.example.net",
                ("Subject: hi\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII),
                QueuedMessage.Origin.INTERNET, false, null, false);
    }

    static QueuedMessage message(Instant at) {
        return message(at, null, "Hello");
    }

    /** Recipients of {@code m} waiting for their first attempt, due at {@code due}. */
    static List<QueuedRecipient> recipients(QueuedMessage m, Instant due, String... addresses) {
        List<QueuedRecipient> rs = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            rs.add(new QueuedRecipient(m.id(), i, Address.parse(addresses[i]), Set.of(), null, QueuedRecipient.State.QUEUED,
                    0, due, null, false));
        }
        return rs;
    }

    /** A next hop that, for each recipient, runs {@code onCall}, then accepts once {@code answer} opens. */
    static RecordingRemoteDelivery acceptingOnceOpen(java.util.concurrent.CountDownLatch answer, Runnable onCall) {
        return new RecordingRemoteDelivery(r -> {
            onCall.run();
            return acceptedOnceOpen(answer, r);
        });
    }

    /**
     * A next hop that keeps each recipient whose local part is "first" (one that holds its destination's
     * slot while others queue behind it) until {@code open} opens, then accepts it; it answers the
     * others {@code others} at once.
     */
    static RecordingRemoteDelivery holdingFirstUntilOpen(java.util.concurrent.CountDownLatch open,
                                                        java.util.function.Function<QueuedRecipient, Outcome> others) {
        return new RecordingRemoteDelivery(r -> r.address().localPart().equals("first")
                ? acceptedOnceOpen(open, r) : others.apply(r));
    }

    private static Outcome acceptedOnceOpen(java.util.concurrent.CountDownLatch open, QueuedRecipient r) {
        try {
            open.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return accepted(r);
    }

    static Outcome accepted(QueuedRecipient r) {
        return new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.remote.example", null);
    }

    /** Routes every address by MX (no hosted domains, no connectors). */
    static Router internetOnly() {
        return new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
    }

    /** A runner with {@code slots} node slots, each destination allowed all of them, routing everything by MX. */
    static QueueRunner runner(Spool spool, RemoteDelivery remote, Trace trace, InstantSource clock, Executor executor,
                              int slots) {
        return new QueueRunner(spool, internetOnly(), new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder(HOSTNAME, ZoneOffset.UTC), trace, clock, executor, RetrySchedule.DEFAULT, slots, HOSTNAME);
    }

    /** A runner like {@link #runner} whose destinations may each hold one delivery at a time. */
    static QueueRunner oneAtATimePerDestination(Spool spool, Router router, MailboxDelivery mailboxes, RemoteDelivery remote,
                                                InstantSource clock, Executor executor) {
        return new QueueRunner(spool, router, mailboxes, remote, new DsnBuilder(HOSTNAME, ZoneOffset.UTC), new MemoryTrace(),
                clock, executor, RetrySchedule.DEFAULT, 10, 1, HOSTNAME);
    }

    /** Runs each task on a virtual thread of its own and keeps the threads, so a scenario can watch or interrupt one. */
    static final class ThreadPerTask implements Executor {
        final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void execute(Runnable task) {
            threads.add(Thread.ofVirtual().start(task));
        }

        /** Waits until the {@code n}-th task (0-based) parks, e.g. waiting for a delivery slot. */
        Thread awaitParked(int n) throws InterruptedException {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (threads.size() <= n || !parked(threads.get(n))) {
                if (System.nanoTime() > deadline) throw new AssertionError("task " + n + " did not wait within 5 s");
                Thread.sleep(5);
            }
            return threads.get(n);
        }

        /** Parked: the wait for a destination's slot is timed (it is bounded), a node slot's is not. */
        static boolean parked(Thread t) {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        }

        /** Joins every task, also those started by the tasks being joined (an NDR an attempt hands to the queue). */
        void joinAll() throws InterruptedException {
            int seen;
            do {
                seen = threads.size();
                for (Thread t : threads) {
                    if (!t.join(java.time.Duration.ofSeconds(5))) throw new AssertionError("a task still runs: " + t);
                }
            } while (threads.size() != seen);
        }
    }

    /** A spool whose body of one message cannot be read while {@link #unreadable} names it, as after a store error. */
    static class UnreadableBodySpool extends sluice.core.testing.ForwardingSpool {
        volatile QueueId unreadable;
        /** Reads of the unreadable body: one or two per attempt. */
        final java.util.concurrent.atomic.AtomicInteger failedReads = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public java.util.Optional<QueuedMessage> message(QueueId id) {
            if (id.equals(unreadable)) {
                failedReads.incrementAndGet();
                throw new IllegalStateException("I/O error reading the body");
            }
            return super.message(id);
        }

        List<QueuedMessage> history() {
            return delegate.history();
        }
    }

    /** Waits up to 5 s for {@code condition}. */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 5 s: " + what);
            Thread.sleep(10);
        }
    }

    static QueueRunner runner(Spool spool, RemoteDelivery remote, InstantSource clock, Executor executor, int slots) {
        return runner(spool, remote, new MemoryTrace(), clock, executor, slots);
    }
}

package sluice.core.queue;

import sluice.core.deliver.remote.Admission;
import sluice.core.route.Route;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The node's delivery slots, and the share of them one destination may hold (Postfix's
 * per-destination concurrency). A delivery first waits for its destination, then, for each
 * transaction, for a node slot: a destination that stalls (a server that accepts connections and
 * never greets holds each attempt for the greeting timeout) holds at most its share of the node's
 * slots, and deliveries waiting for it hold none, so hosted mailboxes, other destinations and
 * reports keep flowing. A remote delivery asks for its node slot ({@link Admission}) only once it
 * holds a connection permit for the server: destinations (recipient domains) that share a server
 * share its connections, and waiting for one of them holds no node slot either.
 *
 * <p>The wait for a destination is bounded ({@link #DEFAULT_DESTINATION_WAIT}): a message's route groups are
 * delivered one after the other, so a destination whose share is held by stalled deliveries would otherwise
 * hold up the message's recipients elsewhere for as long as it stalls. Past the bound the delivery is
 * not made ({@link Busy}); its recipients are deferred (4.4.5, as for a server's connections) and the
 * attempt goes on with the next group.
 *
 * <p>A caller holds at most one destination at a time (one route group after the other), and takes
 * the node slot last and only while transacting, so waiting can never form a cycle: whoever holds a
 * node slot waits for nothing but its peer. Waiting is fair (first come, first served) and costs a
 * parked virtual thread.
 */
final class DeliverySlots {

    /** Long enough for a healthy destination's backlog to move, short against the minutes a stalled one holds. */
    static final Duration DEFAULT_DESTINATION_WAIT = Duration.ofMinutes(5);

    private final Semaphore node;
    private final int perDestination;
    private final Duration destinationWait;
    private final Map<Object, Share> shares = new ConcurrentHashMap<>();
    /** Threads parked for a permit; guarded by itself, with {@link #closing}. */
    private final Set<Thread> waiting = new HashSet<>();
    private volatile boolean closing;

    /** One destination's permits and how many deliveries hold or wait for them (to forget idle ones). */
    private static final class Share {
        final Semaphore permits;
        int users;

        Share(int permits) {
            this.permits = new Semaphore(permits, true);
        }
    }

    DeliverySlots(int nodeSlots, int perDestination) {
        this(nodeSlots, perDestination, DEFAULT_DESTINATION_WAIT);
    }

    /** {@code destinationWait}: how long a delivery waits for its destination's share before it is {@link Busy}. */
    DeliverySlots(int nodeSlots, int perDestination, Duration destinationWait) {
        if (nodeSlots < 1) throw new IllegalArgumentException("the node needs at least one delivery slot");
        if (perDestination < 1) throw new IllegalArgumentException("a destination needs at least one delivery slot");
        if (destinationWait.isNegative()) throw new IllegalArgumentException("destinationWait must not be negative");
        this.node = new Semaphore(nodeSlots, true);
        this.perDestination = perDestination;
        this.destinationWait = destinationWait;
    }

    /** The destination's share stayed taken for the whole wait: the delivery was not made, nothing was sent. */
    static final class Busy extends Exception {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /** A delivery to one route, entering the {@link Admission} it is given (a node slot) for each transaction. */
    interface Admitted<T> {
        T run(Admission nodeSlot) throws InterruptedException;
    }

    /**
     * Runs {@code delivery} holding a slot of {@code route}'s destination; it takes a node slot for each
     * transaction through the admission it is given. {@code beforeWaiting} runs when a slot is not free at
     * once, before the caller parks (to let go of what it need not hold meanwhile, such as the message body).
     *
     * @param stopped asked before admitting the delivery and each transaction: true means it is not to be made
     *                (its attempt was asked to stop, see {@link #wake}), and the caller gets InterruptedException
     * @throws Busy when no slot of the destination came free within the destination wait
     */
    <T> T deliver(Route route, Runnable beforeWaiting, BooleanSupplier stopped, Admitted<T> delivery)
            throws InterruptedException, Busy {
        Admission nodeSlot = new Admission() {
            @Override
            public <R> R admit(Supplier<R> transaction) throws InterruptedException {
                return onNodeSlot(beforeWaiting, stopped, transaction);
            }

            @Override
            public <R> Optional<R> admitNow(Supplier<R> transaction) throws InterruptedException {
                if (closing || stopped.getAsBoolean()) throw new InterruptedException("not admitted: closing or stopped");
                // not tryAcquire(): it takes a free permit ahead of those waiting, even on a fair semaphore
                if (!node.tryAcquire(0, TimeUnit.SECONDS)) return Optional.empty();
                try {
                    return Optional.of(transaction.get());
                } finally {
                    node.release();
                }
            }
        };
        Object key = destination(route);
        if (key == null) return delivery.run(nodeSlot);
        Share share = shares.compute(key, (k, s) -> {
            Share out = s == null ? new Share(perDestination) : s;
            out.users++;
            return out;
        });
        try {
            if (!acquire(share.permits, beforeWaiting, stopped, destinationWait.toNanos()))
                throw new Busy("no delivery slot of " + key + " came free within " + destinationWait
                        + " (other messages hold all " + perDestination + ")");
            try {
                return delivery.run(nodeSlot);
            } finally {
                share.permits.release();
            }
        } finally {
            shares.compute(key, (k, s) -> --s.users == 0 ? null : s);
        }
    }

    private <T> T onNodeSlot(Runnable beforeWaiting, BooleanSupplier stopped, Supplier<T> delivery)
            throws InterruptedException {
        acquire(node, beforeWaiting, stopped, Long.MAX_VALUE);
        try {
            return delivery.get();
        } finally {
            node.release();
        }
    }

    /**
     * @param waitNanos how long to wait for a permit (Long.MAX_VALUE: for as long as it takes)
     * @return whether the permit was taken; false when the wait ran out
     * @throws InterruptedException when interrupted while waiting, once closing (no delivery is admitted
     *                              after {@link #close}, and those waiting stop waiting), or once stopped
     */
    private boolean acquire(Semaphore s, Runnable beforeWaiting, BooleanSupplier stopped, long waitNanos)
            throws InterruptedException {
        if (closing || stopped.getAsBoolean()) throw new InterruptedException("not admitted: closing or stopped");
        // not tryAcquire(): it takes a free permit ahead of those waiting, even on a fair semaphore
        if (s.tryAcquire(0, TimeUnit.SECONDS)) return true;
        beforeWaiting.run();
        Thread me = Thread.currentThread();
        synchronized (waiting) {
            if (closing || stopped.getAsBoolean()) throw new InterruptedException("not admitted: closing or stopped");
            waiting.add(me);
        }
        boolean acquired = false;
        try {
            if (waitNanos == Long.MAX_VALUE) {
                s.acquire();
                acquired = true;
            } else {
                acquired = s.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
            }
        } finally {
            synchronized (waiting) {
                waiting.remove(me);
                // close() or wake() may have interrupted us just as the permit came or the wait ran out: they win,
                // and the interrupt is spent (left pending, it would fail the store writes recording this attempt)
                if (closing || stopped.getAsBoolean()) {
                    if (acquired) s.release();
                    Thread.interrupted();
                    throw new InterruptedException("not admitted: closing or stopped");
                }
            }
        }
        return acquired;
    }

    /**
     * Wakes {@code thread} if it waits for a slot, so it asks its {@code stopped} again (and ends with
     * InterruptedException); a thread delivering is left alone, to finish its delivery.
     */
    void wake(Thread thread) {
        synchronized (waiting) {
            if (waiting.contains(thread)) thread.interrupt();
        }
    }

    /** Admits no more deliveries, and wakes those waiting (they end with InterruptedException). Deliveries running go on. */
    void close() {
        synchronized (waiting) {
            closing = true;
            waiting.forEach(Thread::interrupt);
        }
    }

    /**
     * What one stalled peer can hold up: the recipient domain for MX routes (Postfix's next-hop
     * domain), the host list for smart-host routes (connectors naming the same hosts share it), none
     * for hosted mailboxes (our own store; it has no peer that can stall) and refusals (no delivery).
     */
    static Object destination(Route route) {
        return switch (route) {
            case Route.ToMx mx -> mx.domain();
            case Route.ToSmartHost hosts -> hosts.hosts();
            case Route.ToMailbox ignored -> null;
            case Route.Refuse ignored -> null;
        };
    }

    /** Destinations with deliveries running or waiting (tests). */
    int destinationsInUse() {
        return shares.size();
    }
}

package sluice.core.queue;

import sluice.core.route.Route;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's delivery slots, and the share of them one destination may hold (Postfix's
 * per-destination concurrency). A delivery first waits for its destination, then for a node slot: a
 * destination that stalls (a server that accepts connections and never greets holds each attempt for
 * the greeting timeout) holds at most its share of the node's slots, and deliveries waiting for it
 * hold none, so hosted mailboxes, other destinations and reports keep flowing.
 *
 * <p>A caller holds at most one destination at a time (one route group after the other), and takes
 * the node slot last and only while delivering, so waiting can never form a cycle. Waiting is fair
 * (first come, first served) and costs a parked virtual thread.
 */
final class DeliverySlots {

    private final Semaphore node;
    private final int perDestination;
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
        if (nodeSlots < 1) throw new IllegalArgumentException("the node needs at least one delivery slot");
        if (perDestination < 1) throw new IllegalArgumentException("a destination needs at least one delivery slot");
        this.node = new Semaphore(nodeSlots, true);
        this.perDestination = perDestination;
    }

    /**
     * Runs {@code delivery} holding a slot of {@code route}'s destination and a node slot.
     * {@code beforeWaiting} runs when either is not free at once, before the caller parks (to let go
     * of what it need not hold meanwhile, such as the message body).
     */
    <T> T deliver(Route route, Runnable beforeWaiting, Supplier<T> delivery) throws InterruptedException {
        Object key = destination(route);
        if (key == null) return onNodeSlot(beforeWaiting, delivery);
        Share share = shares.compute(key, (k, s) -> {
            Share out = s == null ? new Share(perDestination) : s;
            out.users++;
            return out;
        });
        try {
            acquire(share.permits, beforeWaiting);
            try {
                return onNodeSlot(beforeWaiting, delivery);
            } finally {
                share.permits.release();
            }
        } finally {
            shares.compute(key, (k, s) -> --s.users == 0 ? null : s);
        }
    }

    private <T> T onNodeSlot(Runnable beforeWaiting, Supplier<T> delivery) throws InterruptedException {
        acquire(node, beforeWaiting);
        try {
            return delivery.get();
        } finally {
            node.release();
        }
    }

    /**
     * @throws InterruptedException when interrupted while waiting, or once closing: no delivery is
     *                              admitted after {@link #close}, and those waiting stop waiting
     */
    private void acquire(Semaphore s, Runnable beforeWaiting) throws InterruptedException {
        if (closing) throw new InterruptedException("closing: no more deliveries are admitted");
        // not tryAcquire(): it takes a free permit ahead of those waiting, even on a fair semaphore
        if (s.tryAcquire(0, TimeUnit.SECONDS)) return;
        beforeWaiting.run();
        Thread me = Thread.currentThread();
        synchronized (waiting) {
            if (closing) throw new InterruptedException("closing: no more deliveries are admitted");
            waiting.add(me);
        }
        boolean acquired = false;
        try {
            s.acquire();
            acquired = true;
        } finally {
            synchronized (waiting) {
                waiting.remove(me);
                // close() may have interrupted us just as the permit came: closing wins, and the interrupt is spent
                if (acquired && closing) {
                    s.release();
                    Thread.interrupted();
                    throw new InterruptedException("closing: no more deliveries are admitted");
                }
            }
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

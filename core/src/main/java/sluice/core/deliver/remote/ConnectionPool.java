package sluice.core.deliver.remote;

import sluice.smtp.client.SmtpConnection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Idle connections for reuse and the per-destination connection limit, one small lock per
 * destination and none shared: a destination that hangs in connect holds only its own permits.
 *
 * <p>Contract: {@link #acquire} returns holding one permit (with an idle connection to reuse, or
 * null when the caller must open one); the caller hands the permit back with exactly one
 * {@link #release}. Open connections, busy or idle, never exceed the limit per destination.
 */
final class ConnectionPool implements AutoCloseable {

    private static final Duration QUIT_WAIT = Duration.ofSeconds(2);

    private final int max;
    private final long waitNanos;
    private final long idleNanos;
    private final int maxMessages;
    private final Map<Destination, Slot> slots = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;
    private volatile boolean closed;

    /** Thrown by {@link #acquire} when no connection to the destination came free within the wait: it holds no permit. */
    static final class Busy extends Exception {
        Busy() {
            super(null, null, false, false);
        }
    }

    /**
     * @param maxWait how long {@link #acquire} waits for one of the destination's connections. A delivery waits
     *                here before it asks for a node delivery slot ({@link Admission}), holding only its own
     *                destination's share of them; but nothing wakes it here when its attempt is asked to stop (an
     *                administrator's change, shutdown), so the wait stays short enough for those to wait it out.
     */
    ConnectionPool(int maxPerDestination, Duration maxWait, Duration idleTimeout, int maxMessagesPerConnection) {
        this.max = maxPerDestination;
        this.waitNanos = maxWait.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.maxMessages = maxMessagesPerConnection;
        this.reaper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("smtp-pool-reaper").factory());
        long period = Math.max(100, Math.min(1000, idleTimeout.toMillis() / 2));
        reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final Condition freed = lock.newCondition();
        final ArrayDeque<Idle> idle = new ArrayDeque<>();
        int permits;
        int waiters;
        boolean retired;
    }

    private record Idle(SmtpConnection connection, long since) {}

    SmtpConnection acquire(Destination d) throws InterruptedException, Busy {
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            Slot s = slots.computeIfAbsent(d, k -> new Slot());
            List<SmtpConnection> expired = new ArrayList<>();
            s.lock.lock();
            try {
                if (s.retired) continue;
                while (true) {
                    expire(s, expired);
                    Idle i = s.idle.pollFirst();
                    if (i != null) return i.connection();
                    if (s.permits < max) {
                        s.permits++;
                        return null;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new Busy();
                    s.waiters++;
                    try {
                        s.freed.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS); // also notices idle expiry
                    } finally {
                        s.waiters--;
                    }
                }
            } finally {
                s.lock.unlock();
                expired.forEach(ConnectionPool::quit);
            }
        }
    }

    /** Returns the permit; keeps {@code c} for reuse when {@code reusable} and it can take more mail. */
    void release(Destination d, SmtpConnection c, boolean reusable) {
        Slot s = slots.get(d);
        boolean keep = reusable && c != null && c.isOpen() && c.transactions() < maxMessages && !closed;
        s.lock.lock();
        try {
            if (keep) s.idle.addFirst(new Idle(c, System.nanoTime()));
            else s.permits--;
            s.freed.signal();
        } finally {
            s.lock.unlock();
        }
        if (!keep && c != null) quit(c);
    }

    /** Connections open to {@code d}, busy or idle (tests and metrics). */
    int open(Destination d) {
        Slot s = slots.get(d);
        if (s == null) return 0;
        s.lock.lock();
        try {
            return s.permits;
        } finally {
            s.lock.unlock();
        }
    }

    /** Threads waiting for a permit to {@code d} (tests). */
    int waiting(Destination d) {
        Slot s = slots.get(d);
        if (s == null) return 0;
        s.lock.lock();
        try {
            return s.waiters;
        } finally {
            s.lock.unlock();
        }
    }

    private void expire(Slot s, List<SmtpConnection> out) {
        long now = System.nanoTime();
        while (!s.idle.isEmpty() && (closed || now - s.idle.peekLast().since() >= idleNanos)) {
            out.add(s.idle.pollLast().connection());
            s.permits--;
            s.freed.signal();
        }
    }

    void reap() {
        for (Map.Entry<Destination, Slot> e : slots.entrySet()) {
            Slot s = e.getValue();
            List<SmtpConnection> expired = new ArrayList<>();
            s.lock.lock();
            try {
                expire(s, expired);
                if (s.permits == 0 && s.waiters == 0) {
                    s.retired = true;
                    slots.remove(e.getKey(), s);
                }
            } finally {
                s.lock.unlock();
            }
            expired.forEach(ConnectionPool::quit);
        }
    }

    private static void quit(SmtpConnection c) {
        Thread.ofVirtual().name("smtp-quit").start(() -> c.quit(QUIT_WAIT));
    }

    @Override
    public void close() {
        closed = true;
        reaper.shutdownNow();
        reap();
    }
}

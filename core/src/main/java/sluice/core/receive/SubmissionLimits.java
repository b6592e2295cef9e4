package sluice.core.receive;

import sluice.smtp.ClientNetwork;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Sliding-window limits for client submission: messages per mailbox per minute, and failed logins
 * per client (after too many, the client is refused without even checking the password, which keeps
 * guessing slow and the KDF from being used as a CPU sink). A client is an IPv4 address or an IPv6
 * /64 ({@link ClientNetwork}): one host owns a whole /64 and could otherwise guess from each address.
 *
 * <p>Password checks for SMTP AUTH and IMAP run {@link #CONCURRENT_CHECKS} at a time across the node (the
 * node gives its listeners one instance): each Argon2id takes
 * ~19 MiB and a carrier thread for tens of milliseconds (it does not pin one, but it does not yield
 * either), so hundreds of sessions trying AUTH at once would take the heap and every carrier.
 *
 * <p>Memory is bounded by recent activity: an entry goes once its window holds nothing, and a sweep
 * at most once per window drops the keys no one came back to.
 */
public final class SubmissionLimits {

    /** How long a login waits for a password check to come free; declared first, as {@link #DEFAULT} needs it. */
    static final Duration CHECK_WAIT = Duration.ofSeconds(10);

    public static final SubmissionLimits DEFAULT = new SubmissionLimits(30, Duration.ofMinutes(1), 5, Duration.ofMinutes(10));

    /** For SMTP AUTH and IMAP together, as many as admin allows itself: enough to keep up with people, too few to be a CPU sink. */
    public static final int CONCURRENT_CHECKS = 2;

    private final Window sent;
    private final Window failed;
    private final Semaphore checks = new Semaphore(CONCURRENT_CHECKS);
    /** Password checks running or waiting for a node turn, per client; the monitor for logins waiting on them. */
    private final Map<String, Integer> running = new HashMap<>();
    /** Logins waiting for a reservation of their client's (guarded by {@link #running}). */
    private int waitingLogins;
    private final Duration checkWait;

    public SubmissionLimits(int messages, Duration messageWindow, int failures, Duration failureWindow) {
        this(messages, messageWindow, failures, failureWindow, CHECK_WAIT);
    }

    /** With {@code checkWait} instead of {@link #CHECK_WAIT}: tests of a login flood (SMTP's and IMAP's) need not wait 10 s per login. */
    public SubmissionLimits(int messages, Duration messageWindow, int failures, Duration failureWindow, Duration checkWait) {
        if (messages < 1 || failures < 1) throw new IllegalArgumentException("limits must be at least 1");
        if (checkWait.isNegative()) throw new IllegalArgumentException("checkWait must not be negative");
        this.sent = new Window(messages, messageWindow);
        this.failed = new Window(failures, failureWindow);
        this.checkWait = checkWait;
    }

    public int messagesPerWindow() {
        return sent.max;
    }

    /** True when the mailbox may send one more message now; counts it when so. */
    boolean trySend(String mailboxId, InstantSource clock) {
        return sent.tryAdd(mailboxId, clock.instant());
    }

    /** The outcome of {@link #checkLogin}. */
    public enum LoginCheck {
        /** The password is right. */
        ACCEPTED,
        /** The password was checked and is wrong (or there is no such user): counted as a failure. */
        REJECTED,
        /** The client failed too often lately: no password was checked. */
        THROTTLED,
        /** No password check came free in time: no password was checked, nothing counted. */
        BUSY
    }

    /**
     * Checks one login's password ({@code check}: true when it is right), within the failed-login limit of
     * {@code clientIp}, which SMTP AUTH and IMAP share so switching protocol gains no guesses. Only a
     * password checked and found wrong counts as a failure (a check that throws counts too). Logins sent in
     * parallel must not get more checks than the limit allows, so a client may have at most
     * (limit − recent failures) checks running: the rest wait for one of them to end, and are THROTTLED only
     * when the failures they waited for reached the limit, BUSY when nothing came free within the wait.
     * Correct logins in parallel are therefore never THROTTLED. Checks run within the node's turns, as
     * {@link #checkPassword}'s; the whole wait, for the client's and the node's turn, is at most the check wait.
     */
    public LoginCheck checkLogin(String clientIp, InstantSource clock, BooleanSupplier check) {
        String client = ClientNetwork.keyOf(clientIp);
        long deadline = System.nanoTime() + checkWait.toNanos();
        LoginCheck refused = reserve(client, clock, deadline);
        if (refused != null) return refused;
        try {
            Optional<Boolean> right;
            try {
                right = checkPassword(check, deadline - System.nanoTime());
            } catch (RuntimeException | Error e) {
                failed.add(client, clock.instant());
                throw e;
            }
            if (right.isEmpty()) return LoginCheck.BUSY;
            if (right.get()) return LoginCheck.ACCEPTED;
            failed.add(client, clock.instant()); // before the reservation goes, so no waiter sees neither
            return LoginCheck.REJECTED;
        } finally {
            release(client);
        }
    }

    /** Takes one of {@code client}'s check reservations; null when taken, else why not. */
    private LoginCheck reserve(String client, InstantSource clock, long deadline) {
        synchronized (running) {
            waitingLogins++;
            try {
                while (true) {
                    int failures = failed.count(client, clock.instant());
                    if (failures >= failed.max) return LoginCheck.THROTTLED;
                    int inFlight = running.getOrDefault(client, 0);
                    if (failures + inFlight < failed.max) {
                        running.put(client, inFlight + 1);
                        return null;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return LoginCheck.BUSY;
                    TimeUnit.NANOSECONDS.timedWait(running, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return LoginCheck.BUSY;
            } finally {
                waitingLogins--;
            }
        }
    }

    private void release(String client) {
        synchronized (running) {
            running.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
            running.notifyAll();
        }
    }

    /** True when {@code clientIp} failed too often lately. */
    boolean loginBlocked(String clientIp, InstantSource clock) {
        return failed.count(ClientNetwork.keyOf(clientIp), clock.instant()) >= failed.max;
    }

    void loginFailed(String clientIp, InstantSource clock) {
        failed.add(ClientNetwork.keyOf(clientIp), clock.instant());
    }

    /**
     * Runs one password check, waiting while {@link #CONCURRENT_CHECKS} others run; empty when none came free
     * within {@link #CHECK_WAIT} (a flood of logins: the client is told to try later rather than hold its
     * connection slot while it waits). The turn is given back however the check ends, an exception included;
     * a caller that gave up waiting (timed out or interrupted) never had one.
     */
    public Optional<Boolean> checkPassword(BooleanSupplier check) {
        return checkPassword(check, checkWait.toNanos());
    }

    private Optional<Boolean> checkPassword(BooleanSupplier check, long waitNanos) {
        try {
            if (!checks.tryAcquire(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return Optional.of(check.getAsBoolean());
        } finally {
            checks.release();
        }
    }

    /** Password checks that could start now without waiting (for tests: a turn must never leak). */
    int idleChecks() {
        return checks.availablePermits();
    }

    /** Password checks waiting for a turn now (for tests that act while a login waits). */
    int waitingChecks() {
        return checks.getQueueLength();
    }

    /** Logins waiting now for one of their own client's running checks to end (for monitoring, and for tests of a flood). */
    public int waitingLogins() {
        synchronized (running) {
            return waitingLogins;
        }
    }

    /** How many clients and mailboxes are tracked now (for tests: the maps must not only grow). */
    int tracked() {
        return sent.events.size() + failed.events.size();
    }

    /** Events per key within a sliding window; at most {@code max} are kept per key. */
    private static final class Window {
        final int max;
        final Duration length;
        final Map<String, Deque<Instant>> events = new ConcurrentHashMap<>();
        private volatile Instant nextSweep = Instant.MIN;

        Window(int max, Duration length) {
            this.max = max;
            this.length = length;
        }

        int count(String key, Instant now) {
            int[] n = {0};
            events.computeIfPresent(key, (k, d) -> {
                prune(d, now);
                n[0] = d.size();
                return d.isEmpty() ? null : d;
            });
            return n[0];
        }

        void add(String key, Instant now) {
            sweep(now);
            events.compute(key, (k, d) -> {
                Deque<Instant> q = d == null ? new ArrayDeque<>() : d;
                prune(q, now);
                q.addLast(now);
                if (q.size() > max) q.removeFirst(); // only whether max is reached matters
                return q;
            });
        }

        boolean tryAdd(String key, Instant now) {
            sweep(now);
            boolean[] ok = {false};
            events.compute(key, (k, d) -> {
                Deque<Instant> q = d == null ? new ArrayDeque<>() : d;
                prune(q, now);
                if (q.size() < max) {
                    q.addLast(now);
                    ok[0] = true;
                }
                return q.isEmpty() ? null : q;
            });
            return ok[0];
        }

        /** Drops the keys whose window emptied without anyone asking again; runs at most once per window. */
        private void sweep(Instant now) {
            if (now.isBefore(nextSweep)) return;
            nextSweep = now.plus(length);
            for (String key : events.keySet()) events.computeIfPresent(key, (k, d) -> {
                prune(d, now);
                return d.isEmpty() ? null : d;
            });
        }

        private void prune(Deque<Instant> d, Instant now) {
            Instant oldest = now.minus(length);
            while (!d.isEmpty() && !d.peekFirst().isAfter(oldest)) d.removeFirst();
        }
    }
}

package sluice.core.receive;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding-window limits for client submission: messages per mailbox per minute, and failed logins
 * per client IP (after too many, the IP is refused without even checking the password, which keeps
 * guessing slow and the KDF from being used as a CPU sink).
 */
public final class SubmissionLimits {

    public static final SubmissionLimits DEFAULT = new SubmissionLimits(30, Duration.ofMinutes(1), 5, Duration.ofMinutes(10));

    private final int messages;
    private final Duration messageWindow;
    private final int failures;
    private final Duration failureWindow;
    private final Map<String, Deque<Instant>> sent = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> failed = new ConcurrentHashMap<>();

    public SubmissionLimits(int messages, Duration messageWindow, int failures, Duration failureWindow) {
        if (messages < 1 || failures < 1) throw new IllegalArgumentException("limits must be at least 1");
        this.messages = messages;
        this.messageWindow = messageWindow;
        this.failures = failures;
        this.failureWindow = failureWindow;
    }

    public int messagesPerWindow() {
        return messages;
    }

    /** True when the mailbox may send one more message now; counts it when so. */
    boolean trySend(String mailboxId, InstantSource clock) {
        return tryAdd(sent, mailboxId, messages, messageWindow, clock.instant());
    }

    /** True when {@code clientIp} failed too often lately; shared by SMTP AUTH and IMAP, so switching protocol gains no guesses. */
    public boolean loginBlocked(String clientIp, InstantSource clock) {
        Deque<Instant> d = failed.get(clientIp);
        if (d == null) return false;
        synchronized (d) {
            prune(d, clock.instant().minus(failureWindow));
            return d.size() >= failures;
        }
    }

    public void loginFailed(String clientIp, InstantSource clock) {
        Deque<Instant> d = failed.computeIfAbsent(clientIp, k -> new ArrayDeque<>());
        synchronized (d) {
            prune(d, clock.instant().minus(failureWindow));
            d.addLast(clock.instant());
        }
    }

    private static boolean tryAdd(Map<String, Deque<Instant>> map, String key, int max, Duration window, Instant now) {
        Deque<Instant> d = map.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (d) {
            prune(d, now.minus(window));
            if (d.size() >= max) return false;
            d.addLast(now);
            return true;
        }
    }

    private static void prune(Deque<Instant> d, Instant oldest) {
        while (!d.isEmpty() && !d.peekFirst().isAfter(oldest)) d.removeFirst();
    }
}

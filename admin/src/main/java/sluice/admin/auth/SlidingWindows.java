package sluice.admin.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Events per key within a sliding window, for the throttles: how many there are now, and when enough will
 * have left the window for one more. Not thread-safe: the throttle that owns it checks and counts in one
 * synchronized step. Windows that have passed are swept once many keys are tracked, so the map stays bounded.
 */
final class SlidingWindows {

    /** Beyond this many tracked keys, windows that have passed are swept. */
    private static final int SWEEP_AT = 10_000;

    private final Duration window;
    private final Map<String, Deque<Instant>> events = new HashMap<>();

    SlidingWindows(Duration window) {
        this.window = window;
    }

    /** 0 when fewer than {@code limit} events of {@code key} are in the window; else the seconds until there are. */
    long wait(String key, int limit, Instant now) {
        Deque<Instant> d = events.get(key);
        if (d == null) return 0;
        prune(d, now);
        if (d.size() < limit) return 0;
        // One more is allowed when enough events have left the window.
        Instant free = d.stream().skip(d.size() - limit).findFirst().orElseThrow().plus(window);
        Duration left = Duration.between(now, free);
        return Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
    }

    void add(String key, Instant now) {
        if (events.size() > SWEEP_AT) events.values().removeIf(d -> {
            prune(d, now);
            return d.isEmpty();
        });
        events.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
    }

    void clear(String key) {
        events.remove(key);
    }

    /** Takes back the newest event of {@code key}, if any. */
    void removeNewest(String key) {
        Deque<Instant> d = events.get(key);
        if (d != null) d.pollLast();
    }

    private void prune(Deque<Instant> d, Instant now) {
        while (!d.isEmpty() && !d.peekFirst().plus(window).isAfter(now)) d.removeFirst();
    }
}

package sluice.core.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Record;
import sluice.core.trace.Incident;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The answers {@link DnsJavaResolver} got, per name and type, kept for their TTL, with one query in flight per
 * name and type at a time.
 *
 * <ul>
 *   <li>Records: the smallest TTL of the answer (CNAMEs followed included), at most {@code maxTtl}; TTL 0 is not kept.
 *   <li>No such name, no such records (RFC 2308): the negative TTL the server gave (its SOA's TTL and minimum, the
 *       smaller), at most {@link #MAX_NEGATIVE_TTL} and {@code maxTtl}; {@link #DEFAULT_NEGATIVE_TTL} without a SOA.
 *   <li>Failures (SERVFAIL, REFUSED, no answer): {@link #FAILURE_TTL}, as RFC 9520 asks of resolvers, so a dead
 *       server is not asked again for every message, and its recovery is seen seconds later.
 * </ul>
 *
 * <p>Names are attacker-chosen (SPF macros, DKIM selectors, HELO names), so the cache is bounded twice: at most
 * {@code maxEntries} answers, and {@code maxEntries} x {@link #AVERAGE_BYTES} of estimated heap (a large TXT answer
 * takes the room of several small ones); the least recently used go first.
 *
 * <p>The query runs on a virtual thread of its own and every caller, the first included, waits for it: a caller
 * that gives up (interrupted, e.g. by an anti-spoofing deadline) leaves the query to finish for the others.
 * Whatever happens to the query (an {@link Error}, an answer that cannot be kept, no thread to run it on), its
 * callers get an answer: a failure that is not kept. No caller waits longer than {@code waitLimit} (the resolver's
 * own limit and some slack), and a query still on its way after that long is asked anew by the next caller.
 * At most {@code maxInFlight} queries run at once: past that, a look-up of a name not kept fails at once (and
 * the failure is not kept). A query on its way is never evicted, so its name keeps sending one query.
 *
 * <p>Time is a monotonic count of nanoseconds ({@link System#nanoTime} in production), never the wall clock: a
 * clock stepped back by NTP must not stretch every entry. Counts are only compared by their difference, so
 * the counter may wrap.
 */
final class AnswerCache {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerCache.class);

    static final Duration FAILURE_TTL = Duration.ofSeconds(5);
    static final Duration MAX_NEGATIVE_TTL = Duration.ofHours(1);
    static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(30);
    static final int AVERAGE_BYTES = 2048;
    static final int MAX_IN_FLIGHT = 1000;
    /**
     * What an entry costs besides its records (map node, key, slot, future, answer), plus twice its name's
     * length; and what a record costs besides its name and data. Measured on a 64-bit JVM with compressed
     * pointers: about 270 bytes for an entry of a 35-character name, 140 for each of its A records.
     */
    private static final int ENTRY_BYTES = 200;
    private static final int RECORD_BYTES = 100;
    private static final int STRING_BYTES = 40;

    /** What a query found. */
    sealed interface Answer {
    }

    /**
     * Records of the type asked for; none means the name exists without them (NODATA).
     *
     * @param ttl seconds; for no records, the negative TTL, or -1 when the server gave none
     */
    record Found(List<Record> records, long ttl) implements Answer {
    }

    /** NXDOMAIN; {@code ttl} as in {@link Found}. */
    record NoName(String message, long ttl) implements Answer {
    }

    /** The answer is unknown. No exception is kept with it: a stack trace would cost far more than the message. */
    record Failed(String message) implements Answer {
    }

    /** An answer and when it stops being usable, on the nanosecond counter. */
    record Cached(Answer answer, long expiresAt) {
        Duration remaining(long now) {
            return expiresAt - now > 0 ? Duration.ofNanos(expiresAt - now) : Duration.ZERO;
        }

        boolean expired(long now) {
            return expiresAt - now <= 0;
        }
    }

    private record Key(String name, int type) {
    }

    private static final class Slot {
        final CompletableFuture<Cached> future = new CompletableFuture<>();
        final long started;
        boolean inFlight = true; // under the cache's lock
        long bytes;

        Slot(long started) {
            this.started = started;
        }

        boolean expired(long now, Duration waitLimit) {
            return future.isDone() ? future.join().expired(now) : now - started >= waitLimit.toNanos();
        }
    }

    private final int maxEntries;
    private final long maxBytes;
    private final Duration maxTtl;
    private final LongSupplier nanoTime;
    private final Duration waitLimit;
    private final int maxInFlight;
    private final Executor starter;
    private final Map<Key, Slot> slots = new LinkedHashMap<>(16, 0.75f, true); // access order: least recently used first
    private long bytes;
    private int running; // queries started and not ended
    private long lookups;
    private long queries;

    /** With {@link #MAX_IN_FLIGHT} queries on virtual threads and callers waiting at most a minute. */
    AnswerCache(int maxEntries, Duration maxTtl, LongSupplier nanoTime) {
        this(maxEntries, maxTtl, nanoTime, Duration.ofMinutes(1), MAX_IN_FLIGHT, task -> Thread.ofVirtual().name("dns-query").start(task));
    }

    /**
     * @param nanoTime  a monotonic count of nanoseconds
     * @param waitLimit how long a caller waits for a query, and how long a query on its way holds its name
     * @param maxInFlight how many queries may run at once
     * @param starter   runs each query on a thread of its own (or throws, when it cannot)
     */
    AnswerCache(int maxEntries, Duration maxTtl, LongSupplier nanoTime, Duration waitLimit, int maxInFlight, Executor starter) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        if (maxTtl.isNegative()) throw new IllegalArgumentException("maxTtl must not be negative");
        if (waitLimit.isNegative() || waitLimit.isZero()) throw new IllegalArgumentException("waitLimit must be positive");
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1");
        this.maxEntries = maxEntries;
        this.maxBytes = (long) maxEntries * AVERAGE_BYTES;
        this.maxTtl = maxTtl;
        this.nanoTime = nanoTime;
        this.waitLimit = waitLimit;
        this.maxInFlight = maxInFlight;
        this.starter = starter;
    }

    /**
     * The answer for {@code name} and {@code type}: kept, on its way, or asked now with {@code query}.
     *
     * @throws InterruptedException when this caller is interrupted while waiting; the query goes on
     */
    Cached lookup(String name, int type, Supplier<Answer> query) throws InterruptedException {
        Key key = new Key(normalize(name), type);
        Slot slot;
        boolean ask = false;
        synchronized (this) {
            lookups++;
            slot = slots.get(key);
            long now = nanoTime.getAsLong();
            if (slot == null || slot.expired(now, waitLimit)) {
                if (running >= maxInFlight)
                    return unkept("too many DNS queries in flight (" + maxInFlight + "); " + key.name() + " not asked");
                running++;
                if (slot != null) remove(key);
                slot = new Slot(now);
                slots.put(key, slot);
                evict();
                ask = true;
                queries++;
            }
        }
        if (ask) start(key, slot, query);
        try {
            return slot.future.get(waitLimit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return unkept("no answer to the DNS query for " + key.name() + " within " + waitLimit.toMillis() + " ms");
        } catch (ExecutionException e) {
            return unkept("DNS query for " + key.name() + " failed: " + Incident.logged(LOG, "a DNS query", e.getCause()).text()); // run() never fails the future
        }
    }

    private void start(Key key, Slot slot, Supplier<Answer> query) {
        try {
            starter.execute(() -> run(key, slot, query));
        } catch (Throwable e) { // no thread to be had (OutOfMemoryError, a rejecting executor)
            ended();
            fail(key, slot, "DNS query for " + key.name() + " not started: " + Incident.logged(LOG, "starting a DNS query", e).text());
        }
    }

    /** Asks and completes the slot's future, whatever happens; only an answer that could be timed and sized is kept. */
    private void run(Key key, Slot slot, Supplier<Answer> query) {
        try {
            Answer answer;
            try {
                answer = query.get();
            } catch (RuntimeException e) {
                answer = new Failed("DNS query for " + key.name() + " failed: " + Incident.logged(LOG, "a DNS query", e).text());
            }
            slot.future.complete(keep(key, slot, answer));
        } catch (Throwable e) { // an Error in the query, or an answer that cannot be timed or sized
            fail(key, slot, "DNS query for " + key.name() + " failed: " + Incident.logged(LOG, "a DNS query", e).text());
        } finally {
            ended();
            if (!slot.future.isDone()) fail(key, slot, "DNS query for " + key.name() + " ended without an answer");
        }
    }

    private synchronized void ended() {
        running--;
    }

    private Cached keep(Key key, Slot slot, Answer answer) {
        Duration ttl = ttl(answer);
        Cached cached = new Cached(answer, nanoTime.getAsLong() + ttl.toNanos());
        long size = ttl.isZero() ? 0 : size(key, answer);
        synchronized (this) {
            slot.inFlight = false;
            if (slots.get(key) == slot) {
                if (ttl.isZero()) {
                    remove(key);
                } else {
                    slot.bytes = size;
                    bytes += size;
                    evict();
                }
            }
        }
        return cached;
    }

    /** Drops the slot, if still there, and gives its callers a failure that is not kept. */
    private void fail(Key key, Slot slot, String message) {
        synchronized (this) {
            slot.inFlight = false;
            if (slots.get(key) == slot) remove(key);
        }
        slot.future.complete(unkept(message));
    }

    private Cached unkept(String message) {
        return new Cached(new Failed(message), nanoTime.getAsLong());
    }

    private Duration ttl(Answer answer) {
        Duration ttl = switch (answer) {
            case Found f when !f.records().isEmpty() -> Duration.ofSeconds(Math.max(0, f.ttl()));
            case Found f -> negative(f.ttl());
            case NoName n -> negative(n.ttl());
            case Failed ignored -> FAILURE_TTL;
        };
        return ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
    }

    private static Duration negative(long ttl) {
        if (ttl < 0) return DEFAULT_NEGATIVE_TTL;
        Duration d = Duration.ofSeconds(ttl);
        return d.compareTo(MAX_NEGATIVE_TTL) > 0 ? MAX_NEGATIVE_TTL : d;
    }

    private static long size(Key key, Answer answer) {
        long n = ENTRY_BYTES + 2L * key.name().length();
        switch (answer) {
            case Found f -> {
                for (Record r : f.records()) n += RECORD_BYTES + r.getName().length() + r.rdataToString().length();
            }
            case NoName x -> n += STRING_BYTES + x.message().length();
            case Failed x -> n += STRING_BYTES + x.message().length();
        }
        return n;
    }

    /**
     * Drops the least recently used answers until both bounds hold. Queries on their way stay, so that their
     * callers keep sharing one query; there are at most {@code maxInFlight} of them.
     */
    private void evict() {
        Iterator<Map.Entry<Key, Slot>> it = slots.entrySet().iterator();
        while ((slots.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
            Slot s = it.next().getValue();
            if (s.inFlight) continue;
            bytes -= s.bytes;
            it.remove();
        }
    }

    private void remove(Key key) {
        Slot s = slots.remove(key);
        if (s != null) bytes -= s.bytes;
    }

    /** Case does not matter in DNS names (RFC 4343), nor does the root's trailing dot. */
    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }

    synchronized int size() {
        return slots.size();
    }

    /** Look-ups asked of the cache so far, and how many of them sent a query. */
    synchronized long lookups() {
        return lookups;
    }

    synchronized long queries() {
        return queries;
    }
}

package sluice.core.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache on its own, with queries that are plain functions; time moves by hand. */
class AnswerCacheTest {

    private final ManualNanos clock = new ManualNanos();

    @Test
    void anErrorInTheQueryFailsItsCallersAndIsNotKept() throws Exception {
        AnswerCache cache = new AnswerCache(10, Duration.ofDays(1), clock);
        AnswerCache.Cached first = lookupWithin10s(cache, "x.test", () -> { throw new StackOverflowError("boom"); });
        assertThat(first.answer()).isInstanceOf(AnswerCache.Failed.class);
        AnswerCache.Cached second = lookupWithin10s(cache, "x.test", () -> new AnswerCache.Found(List.of(), 60));
        assertThat(second.answer()).isInstanceOf(AnswerCache.Found.class);
    }

    @Test
    void anAnswerThatCannotBeSizedFailsItsCallersAndIsNotKept() throws Exception {
        AnswerCache cache = new AnswerCache(10, Duration.ofDays(1), clock);
        AnswerCache.Cached first = lookupWithin10s(cache, "x.test", () -> new AnswerCache.Found(Arrays.asList(null, null), 60));
        assertThat(first.answer()).isInstanceOf(AnswerCache.Failed.class);
        assertThat(cache.size()).isZero();
        AnswerCache.Cached second = lookupWithin10s(cache, "x.test", () -> new AnswerCache.Found(List.of(), 60));
        assertThat(second.answer()).isInstanceOf(AnswerCache.Found.class);
    }

    @Test
    void expiryFollowsTheMonotonicCountEvenWhereItWraps() throws Exception {
        AnswerCache cache = new AnswerCache(10, Duration.ofDays(1), clock);
        AtomicInteger asked = new AtomicInteger();
        Supplier<AnswerCache.Answer> query = () -> {
            asked.incrementAndGet();
            return new AnswerCache.Found(List.of(), 3600);
        };
        cache.lookup("x.test", 1, query);
        clock.advance(Duration.ofMinutes(59)); // past Long.MAX_VALUE: the count wraps to negative
        assertThat(cache.lookup("x.test", 1, query).remaining(clock.getAsLong())).isEqualTo(Duration.ofMinutes(1));
        assertThat(asked).hasValue(1);
        clock.advance(Duration.ofMinutes(1));
        cache.lookup("x.test", 1, query);
        assertThat(asked).hasValue(2);
    }

    @Test
    void eachRecordCountsWithItsObjectsNotJustItsText() throws Exception {
        // 10 entries' worth of memory (20 KiB); 20 A records take about 3 KiB on the heap, not their 0.5 KiB of text
        AnswerCache cache = new AnswerCache(10, Duration.ofDays(1), clock);
        for (int i = 0; i < 10; i++) {
            Name name = Name.fromString("h" + i + ".test.");
            List<Record> records = new ArrayList<>();
            for (int r = 0; r < 20; r++)
                records.add(new ARecord(name, DClass.IN, 60, InetAddress.getByAddress(new byte[]{(byte) 192, 0, 2, (byte) r})));
            cache.lookup(name.toString(), 1, () -> new AnswerCache.Found(List.copyOf(records), 60));
        }
        assertThat(cache.size()).isBetween(1, 8);
    }

    @Test
    void aQueryThatCannotBeStartedFailsItsCallerAndIsNotKept() throws Exception {
        AnswerCache cache = new AnswerCache(10, Duration.ofDays(1), clock, Duration.ofMinutes(1), 10,
                task -> { throw new OutOfMemoryError("unable to create native thread"); });
        AnswerCache.Cached first = lookupWithin10s(cache, "x.test", () -> new AnswerCache.Found(List.of(), 60));
        assertThat(first.answer()).isInstanceOf(AnswerCache.Failed.class);
        assertThat(((AnswerCache.Failed) first.answer()).message()).contains("not started");
        assertThat(cache.size()).isZero();
    }

    @Test
    void aQueryThatNeverReturnsHoldsItsCallersAndItsNameOnlySoLong() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AnswerCache cache = new AnswerCache(10, Duration.ofDays(1), clock, Duration.ofMillis(100), 10,
                task -> Thread.ofVirtual().start(task));
        AtomicInteger asked = new AtomicInteger();
        try {
            AnswerCache.Cached stuck = lookupWithin10s(cache, "x.test", waitingFor(never, asked));
            assertThat(((AnswerCache.Failed) stuck.answer()).message()).contains("no answer", "within");
            clock.advance(Duration.ofMillis(100)); // the query on its way is now too old to wait for
            AnswerCache.Cached next = lookupWithin10s(cache, "x.test", () -> {
                asked.incrementAndGet();
                return new AnswerCache.Found(List.of(), 60);
            });
            assertThat(next.answer()).isInstanceOf(AnswerCache.Found.class);
            assertThat(asked).hasValue(2);
        } finally {
            never.countDown();
        }
    }

    @Test
    void aQueryInFlightIsNotEvictedSoItsNameStillSendsOneQuery() throws Exception {
        AnswerCache cache = new AnswerCache(1, Duration.ofDays(1), clock);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        Supplier<AnswerCache.Answer> slow = waitingFor(answer, asked);
        Thread waiting = Thread.ofVirtual().start(() -> lookup(cache, "slow.test", slow));
        DnsCacheTest.await(() -> asked.get() == 1);
        cache.lookup("other.test", 1, () -> new AnswerCache.Found(List.of(), 60)); // would push slow.test out
        Thread again = Thread.ofVirtual().start(() -> lookup(cache, "slow.test", slow));
        DnsCacheTest.await(() -> cache.lookups() == 3);
        answer.countDown();
        waiting.join(10_000);
        again.join(10_000);
        assertThat(asked).hasValue(1);
    }

    @Test
    void pastTheLimitOfQueriesInFlightALookupFailsAtOnceAndTheFailureIsNotKept() throws Exception {
        AnswerCache cache = new AnswerCache(10, Duration.ofDays(1), clock, Duration.ofMinutes(1), 2,
                task -> Thread.ofVirtual().start(task));
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        Supplier<AnswerCache.Answer> slow = waitingFor(answer, asked);
        Thread a = Thread.ofVirtual().start(() -> lookup(cache, "a.test", slow));
        Thread b = Thread.ofVirtual().start(() -> lookup(cache, "b.test", slow));
        DnsCacheTest.await(() -> asked.get() == 2);
        AnswerCache.Cached refused = lookupWithin10s(cache, "c.test", slow);
        assertThat(((AnswerCache.Failed) refused.answer()).message()).contains("too many DNS queries in flight");
        assertThat(asked).hasValue(2);
        answer.countDown();
        a.join(10_000);
        b.join(10_000);
        assertThat(lookupWithin10s(cache, "c.test", slow).answer()).isInstanceOf(AnswerCache.Found.class);
        assertThat(asked).hasValue(3);
    }

    /** A query that counts itself in {@code asked} and answers once {@code answer} is counted down. */
    private static Supplier<AnswerCache.Answer> waitingFor(CountDownLatch answer, AtomicInteger asked) {
        return () -> {
            asked.incrementAndGet();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new AnswerCache.Found(List.of(), 60);
        };
    }

    private static void lookup(AnswerCache cache, String name, Supplier<AnswerCache.Answer> query) {
        try {
            cache.lookup(name, 1, query);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The look-up's answer, run on a thread of its own so that one that never returns fails the test. */
    private static AnswerCache.Cached lookupWithin10s(AnswerCache cache, String name, Supplier<AnswerCache.Answer> query)
            throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result.set(cache.lookup(name, 1, query));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        if (!t.join(Duration.ofSeconds(10))) throw new AssertionError("the look-up of " + name + " never returned");
        assertThat(result.get()).isInstanceOf(AnswerCache.Cached.class);
        return (AnswerCache.Cached) result.get();
    }
}

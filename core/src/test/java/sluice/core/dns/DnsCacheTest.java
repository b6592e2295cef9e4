package sluice.core.dns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.mail.Domain;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The resolver's cache against a DNS server on loopback that counts the queries it gets; time moves by hand. */
class DnsCacheTest {

    private DnsStub stub;
    private DnsJavaResolver direct;
    private final ManualNanos clock = new ManualNanos();

    @BeforeEach
    void start() {
        stub = DnsStub.start("127.0.0.1");
        direct = new DnsJavaResolver(List.of(stub.server()), Duration.ofSeconds(2), 0);
    }

    @AfterEach
    void stop() {
        stub.release();
        stub.close();
    }

    private DnsJavaResolver cached(int maxEntries, Duration maxTtl) {
        return direct.cached(new DnsJavaResolver.Caching(maxEntries, maxTtl), clock);
    }

    /**
     * A cached resolver that waits 30 s for an answer, for tests that hold the stub's answers back until their
     * threads are all waiting: on a loaded machine that can take longer than the usual 2 s.
     */
    private DnsJavaResolver patient() {
        return new DnsJavaResolver(List.of(stub.server()), Duration.ofSeconds(30), 0)
                .cached(new DnsJavaResolver.Caching(100, Duration.ofDays(1)), clock);
    }

    private static Domain d(String s) { return Domain.of(s); }

    @Test
    void aSecondLookupWithinTheTtlSendsNoQueryAndOneAfterItDoes() throws Exception {
        stub.ttl(300).a("host.test", "192.0.2.1");
        Dns dns = cached(100, Duration.ofDays(1));
        assertThat(dns.a(d("host.test"))).containsExactly(InetAddress.getByName("192.0.2.1"));
        clock.advance(Duration.ofSeconds(299));
        assertThat(dns.a(d("HOST.test."))).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(stub.queries()).isEqualTo(1);

        stub.remove("host.test").a("host.test", "192.0.2.2");
        clock.advance(Duration.ofSeconds(1));
        assertThat(dns.a(d("host.test"))).containsExactly(InetAddress.getByName("192.0.2.2"));
        assertThat(stub.queries()).isEqualTo(2);
    }

    @Test
    void withoutCachingEveryLookupIsAsked() throws Exception {
        stub.a("host.test", "192.0.2.1");
        direct.a(d("host.test"));
        direct.a(d("host.test"));
        Dns off = cached(0, Duration.ofDays(1));
        off.a(d("host.test"));
        assertThat(stub.queries()).isEqualTo(3);
    }

    @Test
    void typesAreKeptApart() throws Exception {
        stub.a("host.test", "192.0.2.1").aaaa("host.test", "2001:db8::1");
        Dns dns = cached(100, Duration.ofDays(1));
        assertThat(dns.a(d("host.test"))).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(dns.aaaa(d("host.test"))).containsExactly(InetAddress.getByName("2001:db8::1"));
        assertThat(dns.addresses(d("host.test"))).hasSize(2);
        assertThat(stub.queries()).isEqualTo(2);
    }

    @Test
    void aTtlAboveTheMaximumIsCutAndTtlZeroIsNotKept() throws Exception {
        stub.ttl(7 * 86400).txt("long.test", "v=spf1 -all").ttl(0).txt("zero.test", "v=spf1 -all");
        Dns dns = cached(100, Duration.ofHours(1));
        dns.txt(d("long.test"));
        clock.advance(Duration.ofMinutes(59));
        dns.txt(d("long.test"));
        assertThat(stub.queries()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        dns.txt(d("long.test"));
        assertThat(stub.queries()).isEqualTo(2);

        dns.txt(d("zero.test"));
        dns.txt(d("zero.test"));
        assertThat(stub.queries()).isEqualTo(4);
    }

    @Test
    void aCnameChainIsKeptAsLongAsItsShortestTtl() throws Exception {
        stub.ttl(10).cname("alias.test", "real.test").ttl(300).a("real.test", "192.0.2.7");
        Dns dns = cached(100, Duration.ofDays(1));
        assertThat(dns.a(d("alias.test"))).containsExactly(InetAddress.getByName("192.0.2.7"));
        clock.advance(Duration.ofSeconds(9));
        dns.a(d("alias.test"));
        assertThat(stub.queries()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        dns.a(d("alias.test"));
        assertThat(stub.queries()).isEqualTo(2);
    }

    @Test
    void nxdomainIsKeptForTheSoaMinimum() throws Exception {
        stub.soa("test", 3600, 120);
        Dns dns = cached(100, Duration.ofDays(1));
        assertThatThrownBy(() -> dns.txt(d("missing.test"))).isInstanceOf(Dns.NoSuchDomain.class)
                .hasMessage("missing.test: no such domain");
        stub.txt("missing.test", "published meanwhile");
        clock.advance(Duration.ofSeconds(119));
        assertThatThrownBy(() -> dns.txt(d("missing.test"))).isInstanceOf(Dns.NoSuchDomain.class);
        assertThat(stub.queries()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(dns.txt(d("missing.test"))).containsExactly("published meanwhile");
        assertThat(stub.queries()).isEqualTo(2);
    }

    @Test
    void nxdomainBehindACnameIsKeptNoLongerThanTheCname() throws Exception {
        stub.soa("test", 3600, 3600).ttl(10).cname("alias.test", "gone.test");
        Dns dns = cached(100, Duration.ofDays(1));
        assertThatThrownBy(() -> dns.a(d("alias.test"))).isInstanceOf(Dns.NoSuchDomain.class);
        stub.remove("alias.test").cname("alias.test", "real.test").a("real.test", "192.0.2.9");
        clock.advance(Duration.ofSeconds(9));
        assertThatThrownBy(() -> dns.a(d("alias.test"))).isInstanceOf(Dns.NoSuchDomain.class);
        assertThat(stub.queries()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(dns.a(d("alias.test"))).containsExactly(InetAddress.getByName("192.0.2.9"));
        assertThat(stub.queries()).isEqualTo(2);
    }

    @Test
    void noRecordsBehindACnameAreKeptNoLongerThanTheCname() throws Exception {
        stub.soa("test", 3600, 3600).ttl(10).cname("alias.test", "real.test").ttl(300).a("real.test", "192.0.2.9");
        Dns dns = cached(100, Duration.ofDays(1));
        assertThat(dns.mx(d("alias.test"))).isEmpty();
        int asked = stub.queries();
        clock.advance(Duration.ofSeconds(9));
        assertThat(dns.mx(d("alias.test"))).isEmpty();
        assertThat(stub.queries()).isEqualTo(asked);
        clock.advance(Duration.ofSeconds(1));
        dns.mx(d("alias.test"));
        assertThat(stub.queries()).isGreaterThan(asked);
    }

    @Test
    void aNegativeAnswerLastsTheSmallerOfTheSoaTtlAndMinimum() throws Exception {
        stub.soa("test", 20, 900).a("host.test", "192.0.2.1");
        Dns dns = cached(100, Duration.ofDays(1));
        assertThat(dns.mx(d("host.test"))).isEmpty(); // NODATA
        clock.advance(Duration.ofSeconds(19));
        assertThat(dns.mx(d("host.test"))).isEmpty();
        assertThat(stub.queries()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        dns.mx(d("host.test"));
        assertThat(stub.queries()).isEqualTo(2);
    }

    @Test
    void aNegativeAnswerWithoutSoaIsKeptShortlyAndAHugeOneAtMostAnHour() throws Exception {
        Dns dns = cached(100, Duration.ofDays(1));
        assertThatThrownBy(() -> dns.a(d("nosoa.example"))).isInstanceOf(Dns.NoSuchDomain.class);
        clock.advance(AnswerCache.DEFAULT_NEGATIVE_TTL.minusSeconds(1));
        assertThatThrownBy(() -> dns.a(d("nosoa.example"))).isInstanceOf(Dns.NoSuchDomain.class);
        assertThat(stub.queries()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> dns.a(d("nosoa.example"))).isInstanceOf(Dns.NoSuchDomain.class);
        assertThat(stub.queries()).isEqualTo(2);

        stub.soa("test", 86400, 86400);
        assertThatThrownBy(() -> dns.a(d("missing.test"))).isInstanceOf(Dns.NoSuchDomain.class);
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> dns.a(d("missing.test"))).isInstanceOf(Dns.NoSuchDomain.class);
        assertThat(stub.queries()).isEqualTo(4);
    }

    @Test
    void servfailIsKeptFiveSecondsOnly() throws Exception {
        stub.servfail("broken.test");
        Dns dns = cached(100, Duration.ofDays(1));
        assertThatThrownBy(() -> dns.mx(d("broken.test"))).isInstanceOf(Dns.DnsFailure.class)
                .hasMessage("DNS server answered SERVFAIL for broken.test/MX");
        stub.remove("broken.test").mx("broken.test", 10, "mx.broken.test");
        clock.advance(Duration.ofSeconds(4));
        assertThatThrownBy(() -> dns.mx(d("broken.test"))).isInstanceOf(Dns.DnsFailure.class);
        assertThat(stub.queries()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(dns.mx(d("broken.test"))).containsExactly(new Dns.Mx(10, d("mx.broken.test")));
        assertThat(stub.queries()).isEqualTo(2);
    }

    @Test
    void aKeptFailureHoldsNoExceptionOfTheFailedQuery() throws Exception {
        stub.drop("dead.test");
        Dns dns = new DnsJavaResolver(List.of(stub.server()), Duration.ofMillis(200), 0)
                .cached(new DnsJavaResolver.Caching(100, Duration.ofDays(1)), clock);
        assertThatThrownBy(() -> dns.txt(d("dead.test"))).isInstanceOf(Dns.DnsFailure.class)
                .hasMessageContaining("no answer from").hasNoCause();
        assertThatThrownBy(() -> dns.txt(d("dead.test"))).isInstanceOf(Dns.DnsFailure.class).hasNoCause();
        assertThat(stub.queries()).isEqualTo(1);
    }

    @Test
    void theNumberOfAnswersKeptHasACeiling() {
        assertThat(new DnsJavaResolver.Caching(200_000, Duration.ofDays(1)).maxEntries()).isEqualTo(200_000);
        assertThatThrownBy(() -> new DnsJavaResolver.Caching(200_001, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 (no cache) and 200000");
    }

    @Test
    void theLeastRecentlyUsedAnswerMakesRoom() throws Exception {
        stub.a("a.test", "192.0.2.1").a("b.test", "192.0.2.2").a("c.test", "192.0.2.3");
        DnsJavaResolver dns = cached(2, Duration.ofDays(1));
        dns.a(d("a.test"));
        dns.a(d("b.test"));
        dns.a(d("a.test")); // a used more recently than b
        dns.a(d("c.test")); // b goes
        assertThat(stub.queries()).isEqualTo(3);
        dns.a(d("a.test"));
        assertThat(stub.queries()).isEqualTo(3);
        dns.a(d("b.test"));
        assertThat(stub.queries()).isEqualTo(4);
    }

    @Test
    void attackerChosenNamesCannotGrowTheCachePastItsBounds() throws Exception {
        stub.soa("test", 3600, 3600);
        DnsJavaResolver dns = cached(50, Duration.ofDays(1));
        for (int i = 0; i < 300; i++) {
            int n = i;
            assertThatThrownBy(() -> dns.txt(d("x" + n + ".spf-macro.test"))).isInstanceOf(Dns.NoSuchDomain.class);
        }
        assertThat(dns.cacheSize()).isEqualTo(50);

        // large answers count by their size: 10 entries' worth of memory holds fewer than 10 of them
        DnsJavaResolver small = cached(10, Duration.ofDays(1));
        for (int i = 0; i < 10; i++) {
            for (int r = 0; r < 40; r++) stub.txt("big" + i + ".test", "record " + r + " padded to be about one hundred octets long, as big TXT answers are....");
            assertThat(small.txt(d("big" + i + ".test"))).hasSize(40);
        }
        assertThat(small.cacheSize()).isBetween(1, 9);
    }

    @Test
    void concurrentLookupsOfOneNameSendOneQuery() throws Exception {
        stub.a("host.test", "192.0.2.1").hold();
        DnsJavaResolver dns = patient();
        int n = 20;
        List<Thread> threads = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    if (dns.a(d("host.test")).equals(List.of(InetAddress.getByName("192.0.2.1")))) answered.incrementAndGet();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        await(() -> dns.cacheLookups() == n && stub.queries() == 1);
        stub.release();
        for (Thread t : threads) t.join(10_000);
        assertThat(answered).hasValue(n);
        assertThat(stub.queries()).isEqualTo(1);
    }

    @Test
    void aCallerThatGivesUpLeavesTheQueryToTheOthers() throws Exception {
        stub.a("host.test", "192.0.2.1").hold();
        DnsJavaResolver dns = patient();
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread impatient = Thread.ofVirtual().start(() -> {
            try {
                dns.a(d("host.test"));
            } catch (Exception e) {
                first.set(e);
            }
        });
        await(() -> stub.queries() == 1);
        impatient.interrupt(); // what the anti-spoofing deadline does to a look-up it gives up on
        impatient.join(10_000);
        assertThat(first.get()).isInstanceOf(Dns.DnsFailure.class).hasMessageContaining("interrupted");

        Thread patient = Thread.ofVirtual().start(() -> {
            try {
                first.set(null);
                dns.a(d("host.test"));
            } catch (Exception e) {
                first.set(e);
            }
        });
        await(() -> dns.cacheLookups() == 2);
        stub.release();
        patient.join(10_000);
        assertThat(first.get()).isNull();
        assertThat(stub.queries()).isEqualTo(1);
    }

    @Test
    void blockListCallersAreToldWhatIsLeftOfTheTtl() throws Exception {
        stub.ttl(60).a("2.0.0.127.zen.test", "127.0.0.2");
        Dns dns = cached(100, Duration.ofDays(1));
        assertThat(dns.aWithTtl(d("2.0.0.127.zen.test")).ttl()).isEqualTo(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(50));
        assertThat(dns.aWithTtl(d("2.0.0.127.zen.test")).ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(stub.queries()).isEqualTo(1);
    }

    @Test
    void mxHostsOfEqualPreferenceAreStillShuffledFromOneCachedAnswer() throws Exception {
        stub.mx("example.test", 10, "a.example.test").mx("example.test", 10, "b.example.test").mx("example.test", 10, "c.example.test");
        Dns dns = cached(100, Duration.ofDays(1));
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 40; i++) firsts.add(dns.mx(d("example.test")).getFirst().exchange().name());
        assertThat(firsts).hasSizeGreaterThan(1);
        assertThat(stub.queries()).isEqualTo(1);
    }

    @Test
    void namesDifferingInCaseOrTrailingDotAreOneEntry() throws Exception {
        AnswerCache cache = new AnswerCache(10, Duration.ofDays(1), clock);
        AtomicInteger asked = new AtomicInteger();
        for (String name : List.of("Mail.Example.TEST.", "mail.example.test", "MAIL.example.test")) {
            cache.lookup(name, 1, () -> {
                asked.incrementAndGet();
                return new AnswerCache.Found(List.of(), 60);
            });
        }
        assertThat(asked).hasValue(1);
        assertThat(AnswerCache.normalize(".")).isEqualTo(".");
    }

    /** Waits (up to 10 s) for another thread to get somewhere; asserts nothing about how long that took. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached within 10 s");
            Thread.sleep(2);
        }
    }
}

package sluice.core.filter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.dns.DnsStub;
import sluice.core.filter.connection.DnsBlockLists;
import sluice.core.testing.MutableClock;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 5782 look-ups against a real DNS server over UDP: listed, not listed, cached by TTL, failing open. */
class DnsBlockListsTest {

    private final DnsStub dns = DnsStub.start("127.0.0.1");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

    @AfterEach
    void stop() {
        dns.close();
    }

    private DnsBlockLists lists(String... zones) {
        return new DnsBlockLists(new DnsJavaResolver(List.of(dns.server()), Duration.ofMillis(500), 0), List.of(zones), clock,
                Duration.ofSeconds(3));
    }

    @Test
    void aListedAddressIsFoundInTheFirstZoneThatListsIt() throws Exception {
        dns.a("2.2.0.192.zen.test", "127.0.0.2");
        dns.a("2.2.0.192.second.test", "127.0.0.3");
        dns.a("7.0.0.192.second.test", "127.0.0.4");
        DnsBlockLists lists = lists("zen.test", "second.test");
        assertThat(lists.check(InetAddress.getByName("192.0.2.2"))).contains(new DnsBlockLists.Listing("zen.test", "127.0.0.2"));
        assertThat(lists.check(InetAddress.getByName("192.0.0.7"))).contains(new DnsBlockLists.Listing("second.test", "127.0.0.4"));
        assertThat(lists.check(InetAddress.getByName("192.0.2.7"))).isEmpty();
    }

    // Repeated: a lookup that had written its answer but not yet left the in-flight map once answered past
    // its TTL, about one run in fifteen.
    @org.junit.jupiter.api.RepeatedTest(300)
    void answersAreCachedForTheirTtlAndLookedUpAgainAfterwards() throws Exception {
        dns.a("9.2.0.192.zen.test", "127.0.0.2");
        DnsBlockLists lists = lists("zen.test");
        InetAddress ip = InetAddress.getByName("192.0.2.9");
        lists.prefetch(ip);
        assertThat(lists.check(ip)).isPresent();
        dns.clear();
        assertThat(lists.check(ip)).as("still cached").isPresent();
        clock.advance(Duration.ofSeconds(61)); // the stub's TTL is 60 s
        int asked = dns.queries();
        assertThat(lists.check(ip)).as("expired, looked up again").isEmpty();
        assertThat(dns.queries()).as("asked the server again").isGreaterThan(asked);
    }

    @Test
    void aFailingListNeverBlocksMail() throws Exception {
        dns.servfail("5.2.0.192.broken.test");
        assertThat(lists("broken.test").check(InetAddress.getByName("192.0.2.5"))).isEmpty();
        DnsBlockLists unreachable = new DnsBlockLists(new DnsJavaResolver(List.of("127.0.0.1:9"), Duration.ofMillis(200), 0),
                List.of("zen.test"), clock, Duration.ofMillis(300));
        assertThat(unreachable.check(InetAddress.getByName("192.0.2.5"))).isEmpty();
    }
}

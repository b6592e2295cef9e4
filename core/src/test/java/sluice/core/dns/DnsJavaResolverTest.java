package sluice.core.dns;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.mail.Domain;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DnsJavaResolverTest {

    private static DnsStub stub;
    private static DnsJavaResolver dns;

    @BeforeAll
    static void start() {
        stub = DnsStub.start("127.0.0.1");
        dns = new DnsJavaResolver(List.of(stub.server()), Duration.ofMillis(300), 0);
    }

    @AfterAll
    static void stop() {
        stub.close();
    }

    @BeforeEach
    void clear() {
        stub.clear();
    }

    private static Domain d(String s) { return Domain.of(s); }

    @Test
    void mxRecordsComeSortedByPreference() throws Exception {
        stub.mx("example.test", 20, "mx2.example.test").mx("example.test", 5, "mx0.example.test").mx("example.test", 10, "mx1.example.test");
        assertThat(dns.mx(d("example.test"))).containsExactly(
                new Dns.Mx(5, d("mx0.example.test")), new Dns.Mx(10, d("mx1.example.test")), new Dns.Mx(20, d("mx2.example.test")));
    }

    @Test
    void equalPreferencesAreShuffled() throws Exception {
        stub.mx("example.test", 10, "a.example.test").mx("example.test", 10, "b.example.test").mx("example.test", 10, "c.example.test")
                .mx("example.test", 1, "first.example.test");
        Set<String> seconds = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            List<Dns.Mx> mx = dns.mx(d("example.test"));
            assertThat(mx.getFirst().exchange()).isEqualTo(d("first.example.test"));
            seconds.add(mx.get(1).exchange().name());
        }
        assertThat(seconds).hasSizeGreaterThan(1);
    }

    @Test
    void exchangesAndPtrNamesWithALabelsNoOneDecodesAreNamesAsTheyStand() throws Exception {
        // invalid punycode and CONTEXTO failures: resolvers look them up as they are, so they are used
        stub.mx("idn.test", 10, "xn--ab-0ea.idn.test").mx("idn.test", 20, "xn--abc.idn.test").mx("idn.test", 30, "xn--9hb20a.idn.test")
                .ptr("192.0.2.9", "xn--ab-3n4a.idn.test");
        assertThat(dns.mx(d("idn.test"))).extracting(m -> m.exchange().name())
                .containsExactly("xn--ab-0ea.idn.test", "xn--abc.idn.test", "xn--9hb20a.idn.test");
        assertThat(dns.ptr(InetAddress.getByName("192.0.2.9"))).extracting(Domain::name).containsExactly("xn--ab-3n4a.idn.test");
    }

    @Test
    void nullMxIsOneMxWithoutExchange() throws Exception {
        stub.nullMx("nomail.test");
        List<Dns.Mx> mx = dns.mx(d("nomail.test"));
        assertThat(mx).hasSize(1);
        assertThat(mx.getFirst().isNull()).isTrue();
    }

    @Test
    void mxRecordsThatAllNameUnusableHostsAreAFailureNotAnImplicitMx() throws Exception {
        stub.mx("broken.test", 10, "mail\\@host.broken.test").a("broken.test", "192.0.2.80");
        assertThatThrownBy(() -> dns.mx(d("broken.test"))).isInstanceOf(Dns.DnsFailure.class)
                .hasMessageContaining("name no usable host");

        stub.mx("mixed.test", 10, "mail\\@host.mixed.test").mx("mixed.test", 20, "mx.mixed.test");
        assertThat(dns.mx(d("mixed.test"))).containsExactly(new Dns.Mx(20, d("mx.mixed.test")));
    }

    @Test
    void domainWithoutMxGivesAnEmptyListAndItsAddresses() throws Exception {
        stub.a("host.test", "127.0.0.9").aaaa("host.test", "::1");
        assertThat(dns.mx(d("host.test"))).isEmpty();
        assertThat(dns.addresses(d("host.test")))
                .containsExactly(InetAddress.getByName("127.0.0.9"), InetAddress.getByName("::1"));
    }

    @Test
    void nxdomainIsNoSuchDomain() {
        assertThatThrownBy(() -> dns.mx(d("missing.test"))).isInstanceOf(Dns.NoSuchDomain.class)
                .hasMessage("missing.test: no such domain");
        assertThatThrownBy(() -> dns.addresses(d("missing.test"))).isInstanceOf(Dns.NoSuchDomain.class);
    }

    @Test
    void emptyNonTerminalIsNotNxdomain() throws Exception {
        stub.a("a.b.test", "127.0.0.2");
        assertThat(dns.mx(d("b.test"))).isEmpty();
    }

    @Test
    void servfailIsAFailure() {
        stub.servfail("broken.test");
        assertThatThrownBy(() -> dns.mx(d("broken.test"))).isInstanceOf(Dns.DnsFailure.class)
                .hasMessage("DNS server answered SERVFAIL for broken.test/MX");
    }

    @Test
    void noAnswerIsAFailureAfterTheTimeout() {
        stub.drop("slow.test");
        assertThatThrownBy(() -> dns.mx(d("slow.test"))).isInstanceOf(Dns.DnsFailure.class)
                .hasMessage("no answer from the DNS server for slow.test/MX")
                .as("the node's resolver addresses reach Authentication-Results: not in the text").message().doesNotContain("127.0.0.1");
    }

    @Test
    void cnameChainsAreFollowed() throws Exception {
        stub.cname("alias.test", "middle.test").cname("middle.test", "real.test").a("real.test", "127.0.0.7")
                .txt("real.test", "v=spf1 ", "-all");
        assertThat(dns.addresses(d("alias.test"))).containsExactly(InetAddress.getByName("127.0.0.7"));
        assertThat(dns.txt(d("alias.test"))).containsExactly("v=spf1 -all");
    }

    @Test
    void cnameToAMissingNameIsNoSuchDomain() {
        stub.cname("dangling.test", "gone.test");
        assertThatThrownBy(() -> dns.addresses(d("dangling.test"))).isInstanceOf(Dns.NoSuchDomain.class);
    }

    @Test
    void cnameLoopIsAFailure() {
        stub.cname("loop1.test", "loop2.test").cname("loop2.test", "loop1.test");
        assertThatThrownBy(() -> dns.addresses(d("loop1.test"))).isInstanceOf(Dns.DnsFailure.class);
    }

    @Test
    void largeAnswersArriveOverTcpAfterTruncation() throws Exception {
        for (int i = 0; i < 60; i++) stub.txt("big.test", "record number " + i + " with some padding to make it long");
        assertThat(dns.txt(d("big.test"))).hasSize(60);
    }

    @Test
    void secondServerIsAskedWhenTheFirstIsSilent() throws Exception {
        try (DnsStub second = DnsStub.start("127.0.0.2")) {
            stub.drop("example.test");
            second.mx("example.test", 10, "mx.example.test");
            var both = new DnsJavaResolver(List.of(stub.server(), second.server()), Duration.ofMillis(300), 0);
            assertThat(both.mx(d("example.test"))).containsExactly(new Dns.Mx(10, d("mx.example.test")));
        }
    }

    @Test
    void aAndAaaaAskForOneFamilyEach() throws Exception {
        stub.a("dual.test", "192.0.2.1").aaaa("dual.test", "2001:db8::1").aaaa("six.test", "2001:db8::2");
        assertThat(dns.a(d("dual.test"))).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(dns.aaaa(d("dual.test"))).containsExactly(InetAddress.getByName("2001:db8::1"));
        assertThat(dns.a(d("six.test"))).isEmpty();
        assertThatThrownBy(() -> dns.aaaa(d("missing.test"))).isInstanceOf(Dns.NoSuchDomain.class);
    }

    @Test
    void ptrNamesOfIpv4AndIpv6Addresses() throws Exception {
        stub.ptr("192.0.2.7", "mail.example.test").ptr("192.0.2.7", "Other.Example.test").ptr("2001:db8::7", "six.example.test");
        assertThat(dns.ptr(InetAddress.getByName("192.0.2.7"))).containsExactly(d("mail.example.test"), d("other.example.test"));
        assertThat(dns.ptr(InetAddress.getByName("2001:db8::7"))).containsExactly(d("six.example.test"));
        assertThatThrownBy(() -> dns.ptr(InetAddress.getByName("192.0.2.8"))).isInstanceOf(Dns.NoSuchDomain.class);
    }
}

package sluice.smtp.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.smtp.server.ConnectionLimits.Admission.ADMITTED;
import static sluice.smtp.server.ConnectionLimits.Admission.TOO_MANY_FROM_ADDRESS;

/**
 * The per-client connection limit counts an IPv6 /64 as one client (a host owns the whole /64). The
 * loopback has a single IPv6 address, so this one is checked on the limits themselves.
 */
class ConnectionLimitsTest {

    @Test
    void everyAddressInOneSlash64SharesTheLimit() {
        ConnectionLimits limits = new ConnectionLimits(100, 2);
        assertThat(limits.admit(ip("2001:db8:1:2::1"))).isEqualTo(ADMITTED);
        assertThat(limits.admit(ip("2001:db8:1:2::2"))).isEqualTo(ADMITTED);
        assertThat(limits.admit(ip("2001:db8:1:2:dead:beef:0:3"))).isEqualTo(TOO_MANY_FROM_ADDRESS);
        assertThat(limits.admit(ip("2001:db8:1:3::1"))).isEqualTo(ADMITTED);
        limits.release(ip("2001:db8:1:2::1"));
        assertThat(limits.admit(ip("2001:db8:1:2::99"))).isEqualTo(ADMITTED);
    }

    @Test
    void ipv4AddressesAreLimitedOneByOne() {
        ConnectionLimits limits = new ConnectionLimits(100, 1);
        assertThat(limits.admit(ip("192.0.2.1"))).isEqualTo(ADMITTED);
        assertThat(limits.admit(ip("192.0.2.1"))).isEqualTo(TOO_MANY_FROM_ADDRESS);
        assertThat(limits.admit(ip("192.0.2.2"))).isEqualTo(ADMITTED);
    }

    @Test
    void ipv4ClientsSeenThroughNat64AreEachTheirOwn() {
        // on an IPv6-only node behind NAT64 every IPv4 sender arrives in 64:ff9b::/96 (RFC 6052): one /64 for all
        assertThat(sluice.smtp.ClientNetwork.keyOf("64:ff9b::1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(sluice.smtp.ClientNetwork.keyOf("64:ff9b::5.6.7.8")).isEqualTo("5.6.7.8");
        assertThat(sluice.smtp.ClientNetwork.of(java.net.Inet6Address.ofLiteral("::ffff:192.0.2.9")).toString()).isEqualTo("192.0.2.9");
        assertThat(sluice.smtp.ClientNetwork.keyOf("2001:db8::1")).isEqualTo("2001:db8:0:0:0:0:0:0/64");
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}

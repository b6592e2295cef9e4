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

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}

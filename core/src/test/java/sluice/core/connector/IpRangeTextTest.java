package sluice.core.connector;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** IP ranges are shown in one spelling, RFC 5952's for IPv6, and read back in any spelling. */
class IpRangeTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2001:db8:0:0:0:0:0:0/32, 2001:db8::/32",
            "2001:DB8::1, 2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",       // equal runs: the first is shortened
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",             // the longest run is shortened
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",     // one zero group stays (section 4.2.2)
            "1:0:0:0:0:0:0:0, 1::",
            "0:0:0:0:0:0:0:1, ::1",
            "::/0, ::/0",
            "FE80::/10, fe80::/10",
            "2001:db8::ffff:0:0/96, 2001:db8::ffff:0:0/96",
            "192.0.2.0/24, 192.0.2.0/24",
            "198.51.100.7, 198.51.100.7",
            "198.51.100.7/32, 198.51.100.7",
    })
    void printsTheCanonicalFormAndParsesItBack(String given, String shown) {
        IpRange r = IpRange.parse(given);
        assertThat(r).hasToString(shown);
        assertThat(IpRange.parse(shown)).isEqualTo(r);
    }
}

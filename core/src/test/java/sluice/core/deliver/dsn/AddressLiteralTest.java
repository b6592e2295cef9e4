package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Remote-MTA for a host known only by its address: RFC 5321's literal, IPv6 in RFC 5952's short form. */
class AddressLiteralTest {

    @Test
    void addressesAreWrittenAsRfc5321Literals() {
        assertThat(DsnBuilder.mtaName("[192.0.2.1]:25")).isEqualTo("[192.0.2.1]");
        assertThat(DsnBuilder.mtaName("[2001:db8:0:0:0:0:0:1]:25")).isEqualTo("[IPv6:2001:db8::1]");
        assertThat(DsnBuilder.mtaName("[fe80:0:0:0:0:0:0:1%eth0]:25")).isEqualTo("[IPv6:fe80::1]");
        assertThat(DsnBuilder.mtaName("mx.example.com[2001:db8:0:0:0:0:0:1]:25")).isEqualTo("mx.example.com");
    }

    @Test
    void theLongestRunOfZerosIsShortenedAndOnlyARunOfTwoOrMore() {
        assertThat(DsnBuilder.addressLiteral("2001:db8:0:0:1:0:0:0")).isEqualTo("[IPv6:2001:db8:0:0:1::]");
        assertThat(DsnBuilder.addressLiteral("2001:db8:0:1:1:1:1:1")).isEqualTo("[IPv6:2001:db8:0:1:1:1:1:1]");
        assertThat(DsnBuilder.addressLiteral("0:0:0:0:0:0:0:1")).isEqualTo("[IPv6:::1]");
        assertThat(DsnBuilder.addressLiteral("0:0:0:0:0:0:0:0")).isEqualTo("[IPv6:::]");
        assertThat(DsnBuilder.addressLiteral("2001:DB8:00AB:0:0:0:0:0")).isEqualTo("[IPv6:2001:db8:ab::]");
    }
}

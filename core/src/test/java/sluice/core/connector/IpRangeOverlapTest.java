package sluice.core.connector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IpRangeOverlapTest {

    private static boolean overlap(String a, String b) {
        boolean ab = IpRange.parse(a).overlaps(IpRange.parse(b));
        assertThat(IpRange.parse(b).overlaps(IpRange.parse(a))).as("symmetric").isEqualTo(ab);
        return ab;
    }

    @Test
    void rangesOverlapWhenTheWiderContainsTheOthersNetwork() {
        assertThat(overlap("192.0.2.0/24", "192.0.2.77")).isTrue();
        assertThat(overlap("192.0.2.0/24", "192.0.2.128/25")).isTrue();
        assertThat(overlap("0.0.0.0/0", "203.0.113.9")).isTrue();
        assertThat(overlap("192.0.2.0/25", "192.0.2.128/25")).isFalse();
        assertThat(overlap("192.0.2.1", "192.0.2.2")).isFalse();
        assertThat(overlap("2001:db8::/32", "2001:db8:1::1")).isTrue();
        assertThat(overlap("2001:db8::/32", "2001:db9::/32")).isFalse();
        assertThat(overlap("::/0", "192.0.2.1")).as("families never overlap").isFalse();
    }
}

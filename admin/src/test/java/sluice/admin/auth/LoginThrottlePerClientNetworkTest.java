package sluice.admin.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-address limit counts clients as the SMTP side does: an IPv6 client usually holds a whole /64
 * and can use a new address for every guess, so the /64 is one client; an IPv4 client seen through an
 * IPv4-mapped or NAT64 address is that IPv4 address.
 */
class LoginThrottlePerClientNetworkTest {

    private final LoginThrottle throttle = new LoginThrottle(InstantSource.fixed(Instant.parse("2026-11-28T12:00:00Z")), 5, 20,
            Duration.ofMinutes(15));

    @Test
    void twentyGuessesFromAddressesOfOneIpv6SlashSixtyFourCloseItButNotItsNeighbour() {
        for (int i = 1; i <= 20; i++)
            assertThat(throttle.attempt("user" + i, "2001:db8:1:2::" + Integer.toHexString(i))).isZero();

        assertThat(throttle.attempt("user21", "2001:db8:1:2:ffff:ffff:ffff:ffff")).as("same /64, fresh address").isPositive();
        assertThat(throttle.attempt("user21", "2001:db8:1:3::1")).as("the next /64").isZero();
    }

    @Test
    void anIpv4ClientCountsAsItselfWhetherSeenPlainMappedOrThroughNat64() {
        for (int i = 1; i <= 10; i++) assertThat(throttle.attempt("user" + i, "192.0.2.7")).isZero();
        for (int i = 11; i <= 15; i++) assertThat(throttle.attempt("user" + i, "::ffff:192.0.2.7")).isZero();
        for (int i = 16; i <= 20; i++) assertThat(throttle.attempt("user" + i, "64:ff9b::c000:207")).isZero();

        assertThat(throttle.attempt("user21", "192.0.2.7")).isPositive();
        assertThat(throttle.attempt("user21", "192.0.2.8")).isZero();
    }
}

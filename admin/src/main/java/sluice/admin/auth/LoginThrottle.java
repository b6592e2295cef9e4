package sluice.admin.auth;

import sluice.core.account.User;
import sluice.smtp.ClientNetwork;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;

/**
 * Slows password guessing: after {@code perUsername} failed logins for one username, or
 * {@code perAddress} from one client (an IPv4 address, or the /64 of an IPv6 one), within {@code window}, further attempts are refused until the
 * oldest failure leaves the window. The per-address limit is higher because an office behind one NAT
 * shares an address; the per-username limit protects one account against a distributed guesser.
 * A success clears the username's failures but not the address's, so an attacker with one valid
 * account cannot reset the address counter between guesses at others.
 *
 * <p>Every attempt counts as a failure from the moment it is let through ({@link #attempt}) until it
 * turns out to be a success ({@link #succeeded}); so at most {@code perUsername} guesses for one
 * username are ever in flight or in the window, however many arrive at once.
 *
 * <p>Locking an account out is a denial of service anyone can cause; the window is short (15 minutes)
 * and the bootstrap token is never throttled, so an administrator can always get in. Behind a reverse
 * proxy every login comes from the proxy's address, so the per-address limit then applies to all
 * users together.
 */
public final class LoginThrottle {

    private final InstantSource clock;
    private final int perUsername;
    private final int perAddress;
    private final SlidingWindows failures;

    public LoginThrottle(InstantSource clock, int perUsername, int perAddress, Duration window) {
        this.clock = clock;
        this.perUsername = perUsername;
        this.perAddress = perAddress;
        this.failures = new SlidingWindows(window);
    }

    /** 5 per username, 20 per address, in 15 minutes. */
    public static LoginThrottle standard(InstantSource clock) {
        return new LoginThrottle(clock, 5, 20, Duration.ofMinutes(15));
    }

    /**
     * Reserves one login attempt: 0 when it may be made now, already counted as a failure for the
     * username and the address; else the seconds until one may be made (nothing counted). The check
     * and the count are one step, so concurrent guesses cannot all pass the check while the password
     * hashes of the first ones are still being computed. Call {@link #succeeded} when the password
     * was right.
     */
    public synchronized long attempt(String username, String address) {
        Instant now = clock.instant();
        long wait = Math.max(failures.wait(userKey(username), perUsername, now), failures.wait(addressKey(address), perAddress, now));
        if (wait > 0) return wait;
        failures.add(userKey(username), now);
        failures.add(addressKey(address), now);
        return 0;
    }

    /**
     * The attempt reserved for this username and address was a success: the username's failures are
     * cleared, and the address gets its reservation back (one failure, the newest) but keeps the rest.
     */
    public synchronized void succeeded(String username, String address) {
        failures.clear(userKey(username));
        failures.removeNewest(addressKey(address));
    }

    /** Cut to the longest possible username: a megabyte-long "username" must not become a megabyte-long key. */
    private static String userKey(String username) {
        String u = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return "user:" + (u.length() > User.MAX_USERNAME ? u.substring(0, User.MAX_USERNAME + 1) : u);
    }

    /**
     * Counted per client network as SMTP counts clients: an IPv6 client usually holds a whole /64 and
     * could take a fresh address for every guess; an IPv4-mapped or NAT64 address is its IPv4 client.
     */
    private static String addressKey(String address) {
        return "addr:" + ClientNetwork.keyOf(address);
    }
}

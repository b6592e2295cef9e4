package sluice.admin.api;

import sluice.admin.http.ProblemException;
import sluice.core.connector.IpRange;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The addresses that are this node itself: loopback, "this network", the unspecified address,
 * link-local and multicast, and the addresses of its network interfaces, listed when made. Mail the
 * node sends to itself (a content filter on loopback re-injecting, an MX pointing back) comes from
 * one of them; a connector that claims one would have that mail attributed to its organization.
 *
 * <p>core's {@code deliver.remote.NodeAddresses} answers the same question for one address at
 * delivery time; it is package-private there, so this is a second, range-wise copy.
 */
final class OwnAddresses {

    private record Special(IpRange range, String what) {
        Special(String range, String what) {
            this(IpRange.parse(range), what);
        }
    }

    private static final List<Special> SPECIAL = List.of(
            new Special("0.0.0.0/8", "\"this network\""), // RFC 6890
            new Special("127.0.0.0/8", "loopback"),
            new Special("169.254.0.0/16", "link-local"),
            new Special("224.0.0.0/4", "multicast"),
            new Special("::/128", "the unspecified address"),
            new Special("::1/128", "loopback"),
            new Special("fe80::/10", "link-local"),
            new Special("ff00::/8", "multicast"));

    private final Set<InetAddress> interfaces;

    private OwnAddresses(Set<InetAddress> interfaces) {
        this.interfaces = interfaces;
    }

    /**
     * The node's addresses now: interfaces come and go (DHCP, a VPN), so they are listed for each
     * check. When they cannot be listed the check fails closed, as a 503 the caller may retry.
     */
    static OwnAddresses now() {
        try {
            return new OwnAddresses(NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .collect(Collectors.toUnmodifiableSet()));
        } catch (SocketException | RuntimeException e) {
            throw new ProblemException(503, "this node's network addresses could not be listed to check senderIpAddresses ("
                    + e.getMessage() + "); try again, or ask a global administrator");
        }
    }

    /**
     * What of the node's own {@code r} contains or overlaps, said for an organization's administrator
     * (which interface address is not said: it is not theirs to know); empty when nothing.
     */
    Optional<String> touchedBy(IpRange r) {
        for (Special s : SPECIAL)
            if (s.range().overlaps(r)) return Optional.of(s.range() + " (" + s.what() + ")");
        if (interfaces.stream().anyMatch(r::contains)) return Optional.of("an address of this node's network interfaces");
        return Optional.empty();
    }
}

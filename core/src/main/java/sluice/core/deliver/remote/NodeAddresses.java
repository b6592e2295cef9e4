package sluice.core.deliver.remote;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether an address leads to this node itself: loopback, unspecified and the rest of 0.0.0.0/8,
 * link-local (where cloud metadata services live), multicast, or an address of one of the node's own
 * interfaces. An organization administrator's connector may not deliver there (see
 * {@link sluice.core.connector.OutboundConnector#localHopsAllowed}); private addresses in general stay
 * allowed, since that is where on-premises servers live.
 */
final class NodeAddresses {

    private static final Logger log = LoggerFactory.getLogger(NodeAddresses.class);
    /** Interfaces come and go rarely; listing them costs a walk over the kernel's tables, so it is kept a while. */
    private static final long REFRESH_NANOS = 60_000_000_000L;

    private record Snapshot(Set<InetAddress> addresses, long takenAt) {
    }

    private static volatile Snapshot snapshot;

    private NodeAddresses() {
    }

    static boolean isNodeLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()) return true;
        if (a instanceof Inet4Address && a.getAddress()[0] == 0) return true; // 0.0.0.0/8: "this network"
        return interfaceAddresses().contains(a);
    }

    private static Set<InetAddress> interfaceAddresses() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (s != null && now - s.takenAt() < REFRESH_NANOS) return s.addresses();
        Set<InetAddress> found;
        try {
            found = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .map(NodeAddresses::withoutScope).collect(Collectors.toUnmodifiableSet());
        } catch (SocketException | RuntimeException e) {
            log.warn("could not list this node's network interfaces; only loopback and link-local count as the node itself: {}",
                    e.toString());
            found = s == null ? Set.of() : s.addresses();
        }
        snapshot = new Snapshot(found, now);
        return found;
    }

    /** An interface's IPv6 address carries its scope (fe80::1%eth0); a resolved one does not, and must still match. */
    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            return a;
        }
    }
}

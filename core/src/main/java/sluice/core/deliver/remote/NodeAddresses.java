package sluice.core.deliver.remote;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.connector.IpRange;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which addresses lead to this node itself: loopback, unspecified and the rest of 0.0.0.0/8,
 * link-local (where most cloud metadata services live) and the other metadata addresses, multicast, the
 * addresses of the node's own interfaces, and the addresses it is reached at through NAT or a proxy (which its
 * interfaces do not show: {@code delivery.proxyAddresses}, like Postfix's {@code proxy_interfaces}). An organization administrator's inbound connector may not claim them (mail the node
 * sends to itself would count as that organization's), and a connector may deliver there only when a
 * global administrator allowed it
 * ({@link sluice.core.connector.OutboundConnector#localHopsAllowed}), and MX delivery never does
 * unless the node is configured for it (tests, whose internet is on loopback). Private addresses in
 * general are not the node: that is where on-premises servers live.
 *
 * <pre>{@code
 * NodeAddresses.system().isThisNode(InetAddress.ofLiteral("127.0.0.1")) // true
 * }</pre>
 */
public final class NodeAddresses {

    private static final Logger log = LoggerFactory.getLogger(NodeAddresses.class);
    /** Interfaces come and go rarely; listing them walks the kernel's tables, so the list is kept a while. */
    private static final long REFRESH_NANOS = 60_000_000_000L;
    private static final NodeAddresses SYSTEM = new NodeAddresses(NodeAddresses::listInterfaces, System::nanoTime);

    private record Snapshot(Set<InetAddress> addresses, long takenAt) {
    }

    /** What a range of the node's own is, by kind. */
    private record Special(IpRange range, String what) {
        Special(String range, String what) {
            this(IpRange.parse(range), what);
        }
    }

    /** Whatever the interfaces: loopback, "this network" (RFC 6890), unspecified, link-local, multicast. */
    private static final List<Special> SPECIAL = List.of(
            new Special("0.0.0.0/8", "\"this network\""),
            new Special("127.0.0.0/8", "loopback"),
            new Special("169.254.0.0/16", "link-local"),
            new Special("224.0.0.0/4", "multicast"),
            new Special("::/128", "the unspecified address"),
            new Special("::1/128", "loopback"),
            new Special("fe80::/10", "link-local"),
            new Special("ff00::/8", "multicast"),
            new Special("fd00:ec2::254/128", "a cloud metadata service"),
            new Special("100.100.100.200/32", "a cloud metadata service"));

    private final Supplier<Set<InetAddress>> interfaces;
    private final LongSupplier nanoTime;
    /** Where the node is reached through NAT or a proxy: its own, though no interface has them. */
    private final Set<InetAddress> proxied;
    private volatile Snapshot snapshot;

    private NodeAddresses(Supplier<Set<InetAddress>> interfaces, LongSupplier nanoTime, Set<InetAddress> proxied) {
        this.interfaces = interfaces;
        this.nanoTime = nanoTime;
        this.proxied = proxied;
    }

    private NodeAddresses(Supplier<Set<InetAddress>> interfaces, LongSupplier nanoTime) {
        this(interfaces, nanoTime, Set.of());
    }

    /**
     * These addresses and also {@code proxied}: the public addresses a node behind NAT or a load balancer is
     * reached at, which none of its interfaces has. Without them, an MX or smart host that names the node's
     * public address would not be recognized as the node, and mail would loop until its hop count ran out.
     */
    public NodeAddresses alsoReachedAt(Collection<InetAddress> proxied) {
        if (proxied.isEmpty()) return this;
        var all = new java.util.HashSet<>(this.proxied);
        all.addAll(proxied);
        return new NodeAddresses(interfaces, nanoTime, Set.copyOf(all));
    }

    /** This machine's interfaces, listed again at most every minute. */
    public static NodeAddresses system() {
        return SYSTEM;
    }

    /** A node whose interfaces have exactly these addresses (tests). */
    public static NodeAddresses withInterfaces(Collection<InetAddress> addresses) {
        Set<InetAddress> fixed = Set.copyOf(addresses);
        return new NodeAddresses(() -> fixed, () -> 0L);
    }

    /**
     * Whether {@code a} leads to this node. When the interfaces cannot be listed and never could, every
     * address counts as the node's: a connector that may not deliver to the node defers rather than risk it.
     */
    public boolean isThisNode(InetAddress a) {
        if (isSpecialOrProxied(a)) return true;
        Set<InetAddress> own = interfaceAddresses();
        return own == null || own.contains(a);
    }

    /**
     * Whether {@code a} is known to lead to this node: as {@link #isThisNode}, but when the interfaces cannot
     * be listed only the special ranges count. For a decision that would fail mail for good (an MX that loops
     * back bounces), where not knowing must not bounce everything.
     */
    public boolean isSurelyThisNode(InetAddress a) {
        if (isSpecialOrProxied(a)) return true;
        Set<InetAddress> own = interfaceAddresses();
        return own != null && own.contains(a);
    }

    private boolean isSpecialOrProxied(InetAddress a) {
        for (Special s : SPECIAL) if (s.range().contains(a)) return true;
        return proxied.contains(a);
    }

    /** A node whose interfaces cannot be listed (tests of the fail-closed answers). */
    static NodeAddresses unlisted() {
        return new NodeAddresses(() -> null, () -> 0L);
    }

    /**
     * What of this node {@code r} contains or overlaps, in words for an organization's administrator (which
     * interface address is not said: it is not theirs to know); empty when nothing. When the interfaces cannot
     * be listed, any range that is not plainly elsewhere is refused as possibly the node's.
     */
    public Optional<String> overlapping(IpRange r) {
        for (Special s : SPECIAL) if (s.range().overlaps(r)) return Optional.of(s.range() + " (" + s.what() + ")");
        if (proxied.stream().anyMatch(r::contains)) return Optional.of("an address this node is reached at");
        Set<InetAddress> own = interfaceAddresses();
        if (own == null) return Optional.of("possibly this node's addresses (its network interfaces cannot be listed now)");
        return own.stream().anyMatch(r::contains) ? Optional.of("an address of this node's network interfaces") : Optional.empty();
    }

    /** The interfaces' addresses, or null when they have never been listed. */
    private Set<InetAddress> interfaceAddresses() {
        Snapshot s = snapshot;
        long now = nanoTime.getAsLong();
        if (s != null && now - s.takenAt() < REFRESH_NANOS) return s.addresses();
        Set<InetAddress> found = interfaces.get();
        if (found == null) {
            if (s == null) return null;
            found = s.addresses(); // keep the last good list, and try again next time
        } else {
            snapshot = new Snapshot(found, now);
        }
        return found;
    }

    /** Scoped IPv6 addresses (fe80::1%eth0) compare equal to the unscoped ones DNS gives: equals ignores the scope. */
    private static Set<InetAddress> listInterfaces() {
        try {
            return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses).collect(Collectors.toUnmodifiableSet());
        } catch (SocketException | RuntimeException e) {
            log.warn("cannot list this node's network interfaces ({}); until it works, connectors that may not deliver to "
                    + "this node treat every address as the node's", e.toString());
            return null;
        }
    }
}

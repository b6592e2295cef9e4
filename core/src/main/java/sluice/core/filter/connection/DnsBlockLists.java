package sluice.core.filter.connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.dns.Dns;
import sluice.core.mail.Domain;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DNS block lists (RFC 5782): is an IP listed in any configured zone? Lookups start when a client
 * connects ({@link #prefetch}) and run alongside the SMTP dialogue; the verdict joins them at DATA
 * with a time limit. Answers are cached for their TTL. A lookup that fails or is late counts as
 * "not listed": a DNS problem never blocks mail.
 */
public final class DnsBlockLists {

    private static final Logger LOG = LoggerFactory.getLogger(DnsBlockLists.class);
    private static final int MAX_CACHE = 100_000;

    /** A listing: the zone and the address it answered (127.0.0.x encodes the reason). */
    public record Listing(String zone, String answer) {
    }

    private record Cached(Optional<Listing> listing, Instant until) {
    }

    private final Dns dns;
    private final List<Domain> zones;
    private final InstantSource clock;
    private final Duration wait;
    /**
     * One entry per IP: a lookup on its way, or its answer until the TTL runs out. Keeping both in one map
     * means no caller can ever see a finished answer as "in flight", or miss one between two maps.
     */
    private final Map<String, CompletableFuture<Cached>> lookups = new ConcurrentHashMap<>();

    public DnsBlockLists(Dns dns, List<String> zones, InstantSource clock, Duration wait) {
        this.dns = dns;
        this.zones = zones.stream().map(Domain::of).toList();
        this.clock = clock;
        this.wait = wait;
    }

    public boolean isEmpty() {
        return zones.isEmpty();
    }

    /** Starts looking {@code ip} up, unless its answer is cached or already on its way. */
    public void prefetch(InetAddress ip) {
        if (zones.isEmpty() || !(ip instanceof Inet4Address)) return;
        lookupOf(ip);
    }

    /** The first listing of {@code ip}, waiting at most the configured time for lookups in flight. */
    public Optional<Listing> check(InetAddress ip) {
        if (zones.isEmpty() || !(ip instanceof Inet4Address)) return Optional.empty(); // IPv6 lists need other zones
        try {
            return lookupOf(ip).get(wait.toMillis(), TimeUnit.MILLISECONDS).listing();
        } catch (TimeoutException e) {
            LOG.info("DNS block list lookup of {} still running after {} ms; not listed for this message", ip.getHostAddress(), wait.toMillis());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** The fresh or pending lookup of {@code ip}, starting one when there is none. */
    private CompletableFuture<Cached> lookupOf(InetAddress ip) {
        Instant now = clock.instant();
        if (lookups.size() > MAX_CACHE) lookups.clear(); // callers waiting keep their own reference
        var mine = new CompletableFuture<Cached>();
        var current = lookups.compute(ip.getHostAddress(), (k, old) -> old != null && usable(old, now) ? old : mine);
        if (current == mine) {
            Thread.ofVirtual().start(() -> {
                try {
                    mine.complete(lookup(ip));
                } catch (RuntimeException e) {
                    LOG.warn("DNS block list lookup of {} failed", ip.getHostAddress(), e);
                    mine.complete(new Cached(Optional.empty(), clock.instant()));
                }
            });
        }
        return current;
    }

    private static boolean usable(CompletableFuture<Cached> lookup, Instant now) {
        return !lookup.isDone() || lookup.join().until().isAfter(now);
    }

    private Cached lookup(InetAddress ip) {
        Duration ttl = Duration.ofHours(1);
        for (Domain zone : zones) {
            try {
                var answer = dns.aWithTtl(Domain.of(reversed(ip) + "." + zone.name()));
                if (ttl.compareTo(answer.ttl()) > 0) ttl = answer.ttl();
                var listed = answer.value().stream().filter(a -> a.getHostAddress().startsWith("127.")).findFirst();
                if (listed.isPresent()) {
                    return new Cached(Optional.of(new Listing(zone.name(), listed.get().getHostAddress())), until(ttl));
                }
            } catch (Dns.NoSuchDomain notListed) {
                // NXDOMAIN is the answer "not listed" (RFC 5782 section 2.1)
            } catch (Dns.DnsFailure e) {
                LOG.info("DNS block list {} unavailable for {}: {}", zone, ip.getHostAddress(), e.getMessage());
                return new Cached(Optional.empty(), clock.instant()); // stale at once: asked again next time
            }
        }
        return new Cached(Optional.empty(), until(ttl));
    }

    private Instant until(Duration ttl) {
        return clock.instant().plus(ttl.isNegative() ? Duration.ZERO : ttl);
    }

    /** 192.0.2.99 → 99.2.0.192 (RFC 5782 section 2.1). */
    static String reversed(InetAddress ip) {
        String[] parts = ip.getHostAddress().split("\\.");
        List<String> out = new ArrayList<>(List.of(parts));
        java.util.Collections.reverse(out);
        return String.join(".", out);
    }
}

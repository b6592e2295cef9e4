package sluice.core.filter.spoof;

import sluice.core.dns.Dns;
import sluice.core.mail.Domain;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link Dns} for filter tests. A name with no records at all is NXDOMAIN; a name with
 * records of other types answers empty; a name marked {@link #timeout} fails every type it has no
 * records of (the OpenSPF suite's TIMEOUT), and {@link #fail} fails it outright.
 */
public final class MapDns implements Dns {

    private final Map<String, Map<String, List<Object>>> zone = new LinkedHashMap<>();
    private final Set<String> timeouts = new HashSet<>();
    private final Set<String> failing = new HashSet<>();
    private final AtomicInteger queries = new AtomicInteger();

    public MapDns txt(String name, String record) { return add(name, "TXT", record); }
    public MapDns a(String name, String ip) { return add(name, "A", InetAddress.ofLiteral(ip)); }
    public MapDns aaaa(String name, String ip) { return add(name, "AAAA", InetAddress.ofLiteral(ip)); }
    /** An empty exchange is the RFC 7505 null MX; one that is no valid Domain is dropped, as the resolver does. */
    public MapDns mx(String name, int preference, String exchange) {
        if (exchange.isEmpty() || exchange.equals(".")) return add(name, "MX", new Mx(preference, null));
        try {
            return add(name, "MX", new Mx(preference, new Domain(exchange)));
        } catch (IllegalArgumentException e) {
            zone.computeIfAbsent(key(name), k -> new LinkedHashMap<>());
            return this;
        }
    }
    /** A PTR record at the reverse name {@code reverseName} (e.g. "4.3.2.1.in-addr.arpa"). */
    public MapDns ptr(String reverseName, String target) { return add(reverseName, "PTR", target); }
    /** Types without records at {@code name} fail as a timeout would. */
    public MapDns timeout(String name) { timeouts.add(key(name)); zone.computeIfAbsent(key(name), k -> new LinkedHashMap<>()); return this; }
    /** Every query for {@code name} fails. */
    public MapDns fail(String name) { failing.add(key(name)); return this; }
    public MapDns remove(String name) { zone.remove(key(name)); timeouts.remove(key(name)); failing.remove(key(name)); return this; }
    public int queries() { return queries.get(); }

    private MapDns add(String name, String type, Object value) {
        zone.computeIfAbsent(key(name), k -> new LinkedHashMap<>()).computeIfAbsent(type, k -> new ArrayList<>()).add(value);
        return this;
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> lookup(String name, String type) throws NoSuchDomain, DnsFailure {
        queries.incrementAndGet();
        String k = key(name);
        if (failing.contains(k)) throw new DnsFailure("SERVFAIL for " + name + "/" + type);
        Map<String, List<Object>> records = zone.get(k);
        if (records == null) throw new NoSuchDomain(name + ": no such domain");
        List<Object> found = records.get(type);
        if (found == null && timeouts.contains(k)) throw new DnsFailure("timeout for " + name + "/" + type);
        return found == null ? List.of() : (List<T>) List.copyOf(found);
    }

    @Override
    public List<Mx> mx(Domain domain) throws NoSuchDomain, DnsFailure {
        return lookup(domain.name(), "MX");
    }

    @Override
    public List<InetAddress> addresses(Domain host) throws NoSuchDomain, DnsFailure {
        List<InetAddress> out = new ArrayList<>(a(host));
        out.addAll(aaaa(host));
        return out;
    }

    @Override
    public List<InetAddress> a(Domain host) throws NoSuchDomain, DnsFailure {
        return lookup(host.name(), "A");
    }

    @Override
    public List<InetAddress> aaaa(Domain host) throws NoSuchDomain, DnsFailure {
        return lookup(host.name(), "AAAA");
    }

    @Override
    public List<String> txt(Domain name) throws NoSuchDomain, DnsFailure {
        return lookup(name.name(), "TXT");
    }

    @Override
    public List<Domain> ptr(InetAddress address) throws NoSuchDomain, DnsFailure {
        List<Domain> out = new ArrayList<>();
        for (Object o : lookup(reverseName(address), "PTR")) {
            try {
                out.add(new Domain((String) o));
            } catch (IllegalArgumentException e) {
                // not a name we can use
            }
        }
        return out;
    }

    /** in-addr.arpa / ip6.arpa name of an address (RFC 1035 section 3.5, RFC 3596 section 2.5). */
    public static String reverseName(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder s = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) s.append(b[i] & 0xff).append('.');
            return s.append("in-addr.arpa").toString();
        }
        for (int i = 15; i >= 0; i--) s.append(Character.forDigit(b[i] & 0xf, 16)).append('.').append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
        return s.append("ip6.arpa").toString();
    }
}

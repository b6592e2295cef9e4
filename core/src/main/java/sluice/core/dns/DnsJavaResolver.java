package sluice.core.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.trace.Incident;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * {@link Dns} over dnsjava. As constructed it asks the configured servers every time (what an operator's
 * "check now" wants, and tests that edit their zones between calls); {@link #cached} gives the mail flow's
 * resolver, which keeps answers for their TTL and sends one query per name and type at a time (see
 * {@link AnswerCache} for what is kept how long).
 *
 * <pre>{@code
 * DnsJavaResolver direct = new DnsJavaResolver(List.of("127.0.0.1:5353"), Duration.ofSeconds(3), 2);
 * Dns dns = direct.cached(new DnsJavaResolver.Caching(10_000, Duration.ofDays(1)));
 * }</pre>
 */
public final class DnsJavaResolver implements Dns {

    private static final Logger LOG = LoggerFactory.getLogger(DnsJavaResolver.class);

    private static final int MAX_CNAME_HOPS = 8;

    private final Resolver resolver;
    /** How long one query may take in all, CNAMEs followed included (up to one more send once it is over). */
    private final Duration overallTimeout;
    private final String servers;
    private final RandomGenerator random;
    private final LongSupplier nanoTime;
    private final AnswerCache cache; // null: ask every time

    /**
     * How many answers to keep and for how long at most.
     *
     * @param maxEntries 0 keeps none, at most 200,000; also bounds the cache's estimated memory to {@code maxEntries} x 2 KiB
     * @param maxTtl     the longest any answer is kept, whatever its TTL
     */
    public record Caching(int maxEntries, Duration maxTtl) {
        /** 10,000 answers (at most about 20 MiB of heap), each for at most a day. */
        public static final Caching DEFAULT = new Caching(10_000, Duration.ofDays(1));

        public Caching {
            if (maxEntries < 0 || maxEntries > 200_000)
                throw new IllegalArgumentException("dns.cache.maxEntries must be between 0 (no cache) and 200000, not " + maxEntries);
            if (maxTtl == null || maxTtl.isNegative() || maxTtl.compareTo(Duration.ofDays(7)) > 0)
                throw new IllegalArgumentException("dns.cache.maxTtl must be between 0 (no cache) and 7d");
        }
    }

    /**
     * @param servers "host", "host:port", "[v6]:port"; empty means the system's resolvers (resolv.conf)
     * @param timeout how long to wait for one answer from one server
     * @param retries further tries per server after a timeout
     */
    public DnsJavaResolver(List<String> servers, Duration timeout, int retries) {
        this(servers, timeout, retries, RandomGenerator.getDefault());
    }

    /** As above, with the randomness that orders MX hosts of equal preference injected. */
    public DnsJavaResolver(List<String> servers, Duration timeout, int retries, RandomGenerator random) {
        if (retries < 0) throw new IllegalArgumentException("retries must be >= 0");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        List<InetSocketAddress> addrs = servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : parse(servers);
        if (addrs.isEmpty()) throw new IllegalArgumentException("no DNS servers configured and none found in the system configuration");
        List<Resolver> rs = new ArrayList<>();
        for (InetSocketAddress a : addrs) {
            SimpleResolver r = new SimpleResolver(a);
            r.setTimeout(timeout);
            rs.add(r);
        }
        ExtendedResolver ext = new ExtendedResolver(rs);
        ext.setRetries(retries + 1); // dnsjava counts rounds over all servers, not retries per server
        ext.setLoadBalance(false);
        // the overall limit; dnsjava notices per-server timeouts only on its selector's tick, so allow slack per try
        this.overallTimeout = timeout.plusMillis(500).multipliedBy((long) (retries + 1) * rs.size());
        ext.setTimeout(overallTimeout);
        this.resolver = ext;
        this.servers = addrs.toString();
        this.random = random;
        this.nanoTime = System::nanoTime;
        this.cache = null;
    }

    private DnsJavaResolver(DnsJavaResolver direct, AnswerCache cache, LongSupplier nanoTime) {
        this.resolver = direct.resolver;
        this.overallTimeout = direct.overallTimeout;
        this.servers = direct.servers;
        this.random = direct.random;
        this.nanoTime = nanoTime;
        this.cache = cache;
    }

    /**
     * A resolver on the same servers that keeps answers as {@code caching} says (with {@code maxEntries} 0 or
     * {@code maxTtl} 0, one that asks every time), timed by {@link System#nanoTime}.
     */
    public DnsJavaResolver cached(Caching caching) {
        return cached(caching, System::nanoTime);
    }

    /** As {@link #cached(Caching)}, timed by {@code nanoTime}, a monotonic count of nanoseconds (tests move it by hand). */
    public DnsJavaResolver cached(Caching caching, LongSupplier nanoTime) {
        boolean none = caching.maxEntries() == 0 || caching.maxTtl().isZero();
        // a query ends within twice the overall timeout (the last send may start just before it runs out): past
        // that and a second's slack, something is stuck, and callers stop waiting for it
        Duration waitLimit = overallTimeout.multipliedBy(2).plusSeconds(1);
        return new DnsJavaResolver(this, none ? null : new AnswerCache(caching.maxEntries(), caching.maxTtl(), nanoTime,
                waitLimit, AnswerCache.MAX_IN_FLIGHT, task -> Thread.ofVirtual().name("dns-query").start(task)), nanoTime);
    }

    /** Answers kept now (0 without a cache); for tests. */
    int cacheSize() {
        return cache == null ? 0 : cache.size();
    }

    /** Look-ups the cache has been asked (0 without one); for tests. */
    long cacheLookups() {
        return cache == null ? 0 : cache.lookups();
    }

    /** The system's resolvers, 5 s per try, 2 retries. */
    public static DnsJavaResolver system() {
        return new DnsJavaResolver(List.of(), Duration.ofSeconds(5), 2);
    }

    private static List<InetSocketAddress> parse(List<String> servers) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String s : servers) {
            HostPort hp = HostPort.parse(s);
            try {
                out.add(new InetSocketAddress(InetAddress.getByName(hp.host()), hp.portOr(53)));
            } catch (IOException e) {
                throw new IllegalArgumentException("DNS server " + s + " is not an address: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public List<Mx> mx(Domain domain) throws NoSuchDomain, DnsFailure {
        List<MXRecord> records = new ArrayList<>();
        for (Record r : query(domain, Type.MX)) records.add((MXRecord) r);
        if (records.size() == 1 && records.getFirst().getTarget().equals(Name.root))
            return List.of(new Mx(records.getFirst().getPriority(), null));
        List<Mx> mxs = new ArrayList<>();
        for (MXRecord r : records) {
            if (r.getTarget().equals(Name.root)) continue; // a null MX among others is invalid (RFC 7505 section 3): ignore it
            Domain exchange = toDomain(r.getTarget());
            if (exchange != null) mxs.add(new Mx(r.getPriority(), exchange));
        }
        // an empty list means "no MX", which sends mail to the domain's own address (RFC 5321 section 5.1);
        // MX records that all name unusable hosts say mail goes elsewhere, just not where: a failure, as Postfix
        // treats a malformed exchange, never the web server behind the domain's A record
        if (mxs.isEmpty() && records.stream().anyMatch(r -> !r.getTarget().equals(Name.root)))
            throw new DnsFailure("MX records of " + domain + " name no usable host: "
                    + records.stream().map(r -> r.getTarget().toString()).limit(3).toList());
        shuffleEqualPreferences(mxs);
        return List.copyOf(mxs);
    }

    /** Sort by preference; within one preference a random order spreads load (RFC 5321 section 5.1). */
    private void shuffleEqualPreferences(List<Mx> mxs) {
        List<double[]> keys = new ArrayList<>();
        for (int i = 0; i < mxs.size(); i++) keys.add(new double[]{mxs.get(i).preference(), random.nextDouble(), i});
        keys.sort(Comparator.<double[]>comparingDouble(k -> k[0]).thenComparingDouble(k -> k[1]));
        List<Mx> sorted = new ArrayList<>();
        for (double[] k : keys) sorted.add(mxs.get((int) k[2]));
        mxs.clear();
        mxs.addAll(sorted);
    }

    /** A addresses first, then AAAA; one family failing is tolerated when the other answers. */
    @Override
    public List<InetAddress> addresses(Domain host) throws NoSuchDomain, DnsFailure {
        List<InetAddress> out = new ArrayList<>();
        DnsFailure failure = null;
        try {
            for (Record r : query(host, Type.A)) out.add(((ARecord) r).getAddress());
        } catch (DnsFailure e) {
            failure = e;
        }
        try {
            for (Record r : query(host, Type.AAAA)) out.add(((AAAARecord) r).getAddress());
        } catch (DnsFailure e) {
            if (failure == null) failure = e;
        } catch (NoSuchDomain e) {
            if (out.isEmpty()) throw e;
        }
        if (out.isEmpty() && failure != null) throw failure;
        return List.copyOf(out);
    }

    @Override
    public List<InetAddress> a(Domain host) throws NoSuchDomain, DnsFailure {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : query(host, Type.A)) out.add(((ARecord) r).getAddress());
        return List.copyOf(out);
    }

    /**
     * The TTL is what is left of it: an answer kept here for 50 of its 60 seconds says 10, as a recursive
     * server's would, so a caller that caches it too (DNS block lists) never keeps it past its TTL.
     */
    @Override
    public Timed<List<InetAddress>> aWithTtl(Domain host) throws NoSuchDomain, DnsFailure {
        AnswerCache.Cached cached = lookup(host, Type.A);
        List<InetAddress> out = new ArrayList<>();
        for (Record r : records(cached)) out.add(((ARecord) r).getAddress());
        return new Timed<>(List.copyOf(out), out.isEmpty() ? Duration.ofMinutes(5) : cached.remaining(nanoTime.getAsLong()));
    }

    @Override
    public List<InetAddress> aaaa(Domain host) throws NoSuchDomain, DnsFailure {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : query(host, Type.AAAA)) out.add(((AAAARecord) r).getAddress());
        return List.copyOf(out);
    }

    @Override
    public List<Domain> ptr(InetAddress address) throws NoSuchDomain, DnsFailure {
        Domain reverse = new Domain(ReverseMap.fromAddress(address).toString(true));
        List<Domain> out = new ArrayList<>();
        for (Record r : query(reverse, Type.PTR)) {
            Domain name = toDomain(((PTRRecord) r).getTarget());
            if (name != null) out.add(name);
        }
        return List.copyOf(out);
    }

    @Override
    public List<String> txt(Domain name) throws NoSuchDomain, DnsFailure {
        List<String> out = new ArrayList<>();
        for (Record r : query(name, Type.TXT)) out.add(String.join("", ((TXTRecord) r).getStrings()));
        return List.copyOf(out);
    }

    /** The records of {@code type} at the end of the CNAME chain starting at {@code domain}. */
    private List<Record> query(Domain domain, int type) throws NoSuchDomain, DnsFailure {
        return records(lookup(domain, type));
    }

    private AnswerCache.Cached lookup(Domain domain, int type) throws DnsFailure {
        if (cache == null) {
            AnswerCache.Answer answer = ask(domain, type);
            long ttl = answer instanceof AnswerCache.Found f ? Math.max(0, f.ttl()) : 0;
            return new AnswerCache.Cached(answer, nanoTime.getAsLong() + Duration.ofSeconds(ttl).toNanos());
        }
        try {
            return cache.lookup(domain.name(), type, () -> ask(domain, type));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsFailure("DNS query for " + domain + "/" + Type.string(type) + " interrupted");
        }
    }

    private static List<Record> records(AnswerCache.Cached cached) throws NoSuchDomain, DnsFailure {
        return switch (cached.answer()) {
            case AnswerCache.Found f -> f.records();
            case AnswerCache.NoName n -> throw new NoSuchDomain(n.message());
            case AnswerCache.Failed f -> throw new DnsFailure(f.message());
        };
    }

    /** Asks the servers, following CNAMEs; the TTL is the smallest of every record the answer rests on. */
    private AnswerCache.Answer ask(Domain domain, int type) {
        try {
            Name current = toName(domain);
            List<Name> chain = new ArrayList<>(List.of(current));
            long ttl = Long.MAX_VALUE;
            long deadline = System.nanoTime() + overallTimeout.toNanos();
            for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
                if (hop > 0 && System.nanoTime() - deadline > 0)
                    throw new DnsFailure("no answer from the DNS server for " + domain + "/" + Type.string(type) + " within "
                            + overallTimeout.toMillis() + " ms (CNAME chain)");
                Message response = send(current, type, domain);
                int rcode = response.getRcode();
                if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)
                    throw new DnsFailure("DNS server answered " + Rcode.string(rcode) + " for " + domain + "/" + Type.string(type));
                List<Record> answer = response.getSection(Section.ANSWER);
                Name start = current;
                while (true) {
                    List<Record> found = new ArrayList<>();
                    CNAMERecord alias = null;
                    for (Record r : answer) {
                        if (!r.getName().equals(current)) continue;
                        if (r.getType() == type) found.add(r);
                        else if (r instanceof CNAMERecord c) alias = c;
                    }
                    if (!found.isEmpty()) {
                        for (Record r : found) ttl = Math.min(ttl, r.getTTL());
                        return new AnswerCache.Found(List.copyOf(found), ttl);
                    }
                    if (alias == null) break;
                    if (chain.contains(alias.getTarget())) throw new DnsFailure("CNAME loop at " + alias.getTarget() + " resolving " + domain);
                    chain.add(alias.getTarget());
                    if (chain.size() > MAX_CNAME_HOPS) throw new DnsFailure("CNAME chain too long resolving " + domain);
                    ttl = Math.min(ttl, alias.getTTL());
                    current = alias.getTarget();
                }
                // the CNAMEs of this answer are followed and their TTLs counted: NXDOMAIN is about the last name of
                // the chain (RFC 6604), and its negative answer lasts no longer than the aliases leading to it
                if (rcode == Rcode.NXDOMAIN)
                    return new AnswerCache.NoName(domain + (chain.size() > 1 ? " (CNAME to " + current + ")" : "") + ": no such domain",
                            negativeTtl(response, ttl));
                if (current.equals(start)) return new AnswerCache.Found(List.of(), negativeTtl(response, ttl)); // the name exists without records of this type
            }
            throw new DnsFailure("CNAME chain too long resolving " + domain);
        } catch (DnsFailure e) {
            return new AnswerCache.Failed(e.getMessage()); // the cause's text is in the message; its stack is not kept
        }
    }

    /**
     * RFC 2308 section 5: a negative answer lasts as long as the smaller of its SOA's TTL and minimum field
     * (and no longer than the CNAMEs that led to it, {@code chainTtl}); without a SOA, -1 (the cache's default)
     * or the CNAMEs' TTL if shorter.
     */
    private static long negativeTtl(Message response, long chainTtl) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) return Math.min(chainTtl, Math.min(soa.getTTL(), soa.getMinimum()));
        }
        return chainTtl == Long.MAX_VALUE ? -1 : Math.min(chainTtl, AnswerCache.DEFAULT_NEGATIVE_TTL.toSeconds());
    }

    private Message send(Name name, int type, Domain asked) throws DnsFailure {
        try {
            return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException e) {
            // the servers' addresses and the socket's text are the node's own business: they reach Authentication-Results
            LOG.debug("no answer from {} for {}/{}: {}", servers, asked, Type.string(type), e.toString());
            throw new DnsFailure("no answer from the DNS server for " + asked + "/" + Type.string(type), e);
        } catch (RuntimeException e) {
            throw new DnsFailure("DNS query for " + asked + "/" + Type.string(type) + " failed: " + Incident.logged(LOG, "a DNS query", e).text(), e);
        }
    }

    private static Name toName(Domain d) throws DnsFailure {
        try {
            return Name.fromString(d.name() + ".");
        } catch (TextParseException e) {
            throw new DnsFailure("not a DNS name: " + d, e);
        }
    }

    private static Domain toDomain(Name n) {
        try {
            return new Domain(n.toString(true));
        } catch (IllegalArgumentException e) {
            return null; // an exchange we cannot use; the other MX records still can be
        }
    }
}

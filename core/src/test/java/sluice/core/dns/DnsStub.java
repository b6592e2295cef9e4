package sluice.core.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authoritative-and-recursive-looking DNS server for tests, on UDP and TCP (same port) of a
 * loopback address, answering from an in-memory zone that tests edit while it runs. It answers the
 * way a recursive resolver does: CNAME chains are followed inside the zone, a name with no records
 * at all (and no names below it) is NXDOMAIN, a name with other records is NOERROR with an empty
 * answer, and names marked {@link #servfail} or {@link #drop} fail on demand. Records get a TTL of 60 s
 * unless {@link #ttl} says otherwise; negative answers carry a SOA (RFC 2308) only below a zone given
 * {@link #soa}. {@link #hold} keeps answers back until {@link #release}.
 *
 * <pre>{@code
 * try (DnsStub dns = DnsStub.start("127.0.0.1")) {
 *     dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.5");
 *     Dns resolver = new DnsJavaResolver(List.of(dns.server()), Duration.ofSeconds(1), 0);
 * }
 * }</pre>
 */
public final class DnsStub implements AutoCloseable {

    private volatile long ttl = 60;
    private final Map<Name, SOARecord> soas = new ConcurrentHashMap<>();
    private volatile CountDownLatch held;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> dropped = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queries = new AtomicInteger();

    private DnsStub(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        Thread.ofVirtual().name("dns-stub-udp").start(this::udpLoop);
        Thread.ofVirtual().name("dns-stub-tcp").start(this::tcpLoop);
    }

    /** Starts on {@code address} and a free port (the same port for UDP and TCP). */
    public static DnsStub start(String address) {
        IOException last = null;
        for (int i = 0; i < 20; i++) {
            DatagramSocket u = null;
            try {
                InetAddress a = InetAddress.getByName(address);
                u = new DatagramSocket(new InetSocketAddress(a, 0));
                ServerSocket t = new ServerSocket();
                try {
                    t.bind(new InetSocketAddress(a, u.getLocalPort()), 50);
                } catch (IOException e) {
                    t.close();
                    throw e;
                }
                return new DnsStub(u, t);
            } catch (IOException e) {
                if (u != null) u.close();
                last = e;
            }
        }
        throw new UncheckedIOException("cannot start the DNS stub on " + address, last);
    }

    /** "127.0.0.1:40123", the form {@link DnsJavaResolver} takes. */
    public String server() { return udp.getLocalAddress().getHostAddress() + ":" + udp.getLocalPort(); }
    public int port() { return udp.getLocalPort(); }
    /** Queries answered (or dropped) so far. */
    public int queries() { return queries.get(); }

    // ---- zone editing ----------------------------------------------------------------------

    /** The TTL of records added from now on. */
    public DnsStub ttl(long seconds) {
        ttl = seconds;
        return this;
    }

    /** Negative answers for {@code zone} and names below it carry its SOA: TTL {@code soaTtl}, minimum {@code minimum}. */
    public DnsStub soa(String zone, long soaTtl, long minimum) {
        Name z = name(zone);
        soas.put(z, new SOARecord(z, DClass.IN, soaTtl, name("ns." + zone), name("hostmaster." + zone), 1, 3600, 600, 86400, minimum));
        return this;
    }

    /** Queries arriving from now on are counted but not answered until {@link #release}. */
    public DnsStub hold() {
        held = new CountDownLatch(1);
        return this;
    }

    public DnsStub release() {
        CountDownLatch h = held;
        held = null;
        if (h != null) h.countDown();
        return this;
    }

    public DnsStub a(String name, String... ips) {
        for (String ip : ips) add(new ARecord(name(name), DClass.IN, ttl, addr(ip)));
        return this;
    }

    public DnsStub aaaa(String name, String... ips) {
        for (String ip : ips) add(new AAAARecord(name(name), DClass.IN, ttl, addr(ip)));
        return this;
    }

    public DnsStub mx(String domain, int preference, String exchange) {
        add(new MXRecord(name(domain), DClass.IN, ttl, preference, name(exchange)));
        return this;
    }

    /** RFC 7505: "MX 0 ." */
    public DnsStub nullMx(String domain) {
        add(new MXRecord(name(domain), DClass.IN, ttl, 0, Name.root));
        return this;
    }

    /** One TXT record made of {@code segments} (each at most 255 octets). */
    public DnsStub txt(String name, String... segments) {
        add(new TXTRecord(name(name), DClass.IN, ttl, List.of(segments)));
        return this;
    }

    /** A PTR record for {@code ip} (at its in-addr.arpa / ip6.arpa name) pointing at {@code target}. */
    public DnsStub ptr(String ip, String target) {
        add(new PTRRecord(ReverseMap.fromAddress(addr(ip)), DClass.IN, ttl, name(target)));
        return this;
    }

    public DnsStub cname(String alias, String target) {
        add(new CNAMERecord(name(alias), DClass.IN, ttl, name(target)));
        return this;
    }

    /** Queries for {@code name} get SERVFAIL. */
    public DnsStub servfail(String name) { servfail.add(name(name)); return this; }

    /** Queries for {@code name} get no answer at all (the resolver times out). */
    public DnsStub drop(String name) { dropped.add(name(name)); return this; }

    /** Forgets every record and failure mode of {@code name}: it becomes NXDOMAIN. */
    public DnsStub remove(String name) {
        Name n = name(name);
        zone.remove(n);
        servfail.remove(n);
        dropped.remove(n);
        return this;
    }

    public DnsStub clear() {
        zone.clear();
        soas.clear();
        ttl = 60;
        servfail.clear();
        dropped.clear();
        return this;
    }

    private void add(Record r) {
        zone.computeIfAbsent(r.getName(), k -> new CopyOnWriteArrayList<>()).add(r);
    }

    // ---- answering -------------------------------------------------------------------------

    /** The response to {@code query}, or null to stay silent. */
    Message answer(Message query) {
        queries.incrementAndGet();
        CountDownLatch h = held;
        try {
            if (h != null && !h.await(10, TimeUnit.SECONDS)) return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        Record q = query.getQuestion();
        Message resp = new Message(query.getHeader().getID());
        resp.getHeader().setFlag(Flags.QR);
        resp.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) resp.getHeader().setFlag(Flags.RD);
        if (q == null) {
            resp.getHeader().setRcode(Rcode.FORMERR);
            return resp;
        }
        resp.addRecord(q, Section.QUESTION);
        Name current = q.getName();
        for (int hop = 0; hop < 10; hop++) {
            if (dropped.contains(current)) return null;
            if (servfail.contains(current)) {
                resp.getHeader().setRcode(Rcode.SERVFAIL);
                return resp;
            }
            List<Record> records = zone.getOrDefault(current, List.of());
            if (records.isEmpty()) {
                if (!hasDescendants(current)) resp.getHeader().setRcode(Rcode.NXDOMAIN);
                addSoa(resp, current);
                return resp;
            }
            Record alias = null;
            for (Record r : records) {
                if (r.getType() == q.getType() || q.getType() == Type.ANY) resp.addRecord(r, Section.ANSWER);
                else if (r.getType() == Type.CNAME) alias = r;
            }
            if (alias == null || q.getType() == Type.CNAME) {
                if (resp.getSection(Section.ANSWER).stream().noneMatch(r -> r.getType() == q.getType())) addSoa(resp, current);
                return resp;
            }
            resp.addRecord(alias, Section.ANSWER);
            current = ((CNAMERecord) alias).getTarget();
        }
        return resp;
    }

    private void addSoa(Message resp, Name name) {
        for (var e : soas.entrySet()) if (name.subdomain(e.getKey())) resp.addRecord(e.getValue(), Section.AUTHORITY);
    }

    private boolean hasDescendants(Name n) {
        for (Name k : zone.keySet()) if (k.subdomain(n) && !k.equals(n)) return true;
        return false;
    }

    private void udpLoop() {
        byte[] buf = new byte[4096];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Message resp = answer(query);
                if (resp == null) continue;
                OPTRecord opt = query.getOPT();
                int max = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
                byte[] wire = resp.toWire(max);
                udp.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (udp.isClosed()) return;
            }
        }
    }

    private void tcpLoop() {
        while (!tcp.isClosed()) {
            try {
                Socket s = tcp.accept();
                Thread.ofVirtual().start(() -> serveTcp(s));
            } catch (IOException e) {
                if (tcp.isClosed()) return;
            }
        }
    }

    private void serveTcp(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            s.setSoTimeout(10_000);
            while (true) {
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                Message resp = answer(new Message(q));
                if (resp == null) return;
                byte[] wire = resp.toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (IOException e) {
            // client done
        }
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad DNS name " + s, e);
        }
    }

    private static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad IP " + ip, e);
        }
    }
}

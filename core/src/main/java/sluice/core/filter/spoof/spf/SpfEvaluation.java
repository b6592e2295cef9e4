package sluice.core.filter.spoof.spf;

import sluice.core.dns.Dns;
import sluice.core.filter.spoof.spf.SpfResult.Code;
import sluice.core.mail.Domain;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of check_host() (RFC 7208 section 4) with its recursion through include and redirect. Holds
 * the per-check counters: at most 10 terms that query DNS and at most 2 void look-ups (section 4.6.4),
 * shared by every nested record, and the client's validated names (section 5.5), looked up at most
 * once per check however many ptr terms and %{p} macros ask for them.
 */
final class SpfEvaluation {

    static final int MAX_LOOKUPS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES = 10;

    record Outcome(Code code, String mechanism, String explanation, String reason) {
    }

    private final Dns dns;
    private final InetAddress ip;
    private final String local;
    private final String senderDomain;
    private final String helo;
    private final String receiver;
    private final String defaultExplanation;
    private final InstantSource clock;
    private int lookups;
    private int voids;
    private List<Domain> validated; // null until the PTR look-up was made
    private boolean ptrVoid;

    SpfEvaluation(Dns dns, InetAddress ip, String local, String senderDomain, String helo, String receiver,
                  String defaultExplanation, InstantSource clock) {
        this.dns = dns;
        this.ip = ip;
        this.local = local;
        this.senderDomain = senderDomain;
        this.helo = helo;
        this.receiver = receiver;
        this.defaultExplanation = defaultExplanation;
        this.clock = clock;
    }

    SpfResult run() {
        try {
            Outcome o = checkHost(senderDomain);
            return new SpfResult(o.code(), senderDomain, o.mechanism(), o.explanation(), o.reason());
        } catch (SpfError e) {
            return SpfResult.of(e.code(), senderDomain, e.getMessage());
        }
    }

    Outcome checkHost(String domain) throws SpfError {
        String text = fetchRecord(domain);
        if (text == null) return new Outcome(Code.NONE, "", "", "no SPF record at " + domain);
        SpfRecord record = SpfRecord.parse(text);
        for (SpfRecord.Directive d : record.directives()) {
            if (SpfMechanisms.matches(this, d, domain)) {
                Code code = d.result();
                String explanation = code == Code.FAIL ? explain(record, domain) : "";
                return new Outcome(code, d.text(), explanation, domain + " gives " + code.token() + " for " + IpText.readable(ip) + " by '" + d.text() + "'");
            }
        }
        if (record.redirect() != null) {
            countLookup();
            Domain target = target(record.redirect(), domain);
            if (target == null) throw SpfError.perm("redirect=" + record.redirect() + " does not name a valid domain (section 6.1)");
            Outcome o = checkHost(target.name());
            if (o.code() == Code.NONE) throw SpfError.perm("redirect=" + target + " has no SPF record (section 6.1)");
            return o;
        }
        return new Outcome(Code.NEUTRAL, "default", "", "no mechanism of " + domain + " matched " + IpText.readable(ip));
    }

    /** The one SPF record of {@code domain}, or null when it has none (section 4.4, 4.5). */
    private String fetchRecord(String domain) throws SpfError {
        Domain name = queryName(domain);
        if (name == null) return null;
        List<String> txt;
        try {
            txt = dns.txt(name);
        } catch (Dns.NoSuchDomain e) {
            return null;
        } catch (Dns.DnsFailure e) {
            throw SpfError.temp("DNS failure looking up the SPF record of " + domain + ": " + e.getMessage());
        }
        List<String> spf = txt.stream().filter(SpfRecord::isSpf).toList();
        if (spf.size() > 1) throw SpfError.perm(domain + " has " + spf.size() + " SPF records (section 4.5)");
        return spf.isEmpty() ? null : spf.getFirst();
    }

    /** Section 6.2: the explanation for a fail; any problem falls back to the default. */
    private String explain(SpfRecord record, String domain) {
        SpfMacro.Values values = values(domain, false);
        try {
            if (record.exp() != null) {
                Domain target = target(record.exp(), domain);
                if (target != null) {
                    List<String> txt = dns.txt(target); // not counted against the limits (section 6.2)
                    if (txt.size() == 1) return SpfMacro.expand(txt.getFirst(), values, true);
                }
            }
        } catch (SpfError | Dns.NoSuchDomain | Dns.DnsFailure e) {
            // "proceed as if no exp modifier was given"
        }
        try {
            return SpfMacro.expand(defaultExplanation, values, true);
        } catch (SpfError e) {
            return defaultExplanation;
        }
    }

    // ---- services for the mechanisms ----------------------------------------------------------

    InetAddress ip() {
        return ip;
    }

    Dns dns() {
        return dns;
    }

    void countLookup() throws SpfError {
        if (++lookups > MAX_LOOKUPS) throw SpfError.perm("more than " + MAX_LOOKUPS + " DNS-querying terms (section 4.6.4)");
    }

    void noteVoid() throws SpfError {
        if (++voids > MAX_VOID_LOOKUPS) throw SpfError.perm("more than " + MAX_VOID_LOOKUPS + " void DNS look-ups (section 4.6.4)");
    }

    /** The expanded target of a domain-spec, or null when it is no usable DNS name (then nothing matches). */
    Domain target(String spec, String domain) throws SpfError {
        String name = SpfMacro.expand(spec, values(domain, true), false);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        // Section 7.3: too long after expansion: drop labels from the left until it fits
        while (name.length() > 253 && name.indexOf('.') >= 0) name = name.substring(name.indexOf('.') + 1);
        return queryName(name);
    }

    /** Addresses of the client's family (section 5.3: A for IPv4 clients, AAAA for IPv6). */
    List<InetAddress> addresses(Domain name, boolean countVoid) throws SpfError {
        List<InetAddress> found;
        try {
            found = ip instanceof Inet4Address ? dns.a(name) : dns.aaaa(name);
        } catch (Dns.NoSuchDomain e) {
            found = List.of();
        } catch (Dns.DnsFailure e) {
            throw SpfError.temp("DNS failure looking up " + name + ": " + e.getMessage());
        }
        if (found.isEmpty() && countVoid) noteVoid();
        return found;
    }

    /**
     * Section 5.5: names from the PTR look-up (at most 10) whose forward look-up includes the client
     * address. A PTR failure means no names, never an error. The client address is the same for every
     * record of the check, so the look-ups are made once: a record of many ptr terms or %{p} macros
     * made one PTR and up to 10 address queries for each, none of them counted.
     */
    List<Domain> validatedNames(boolean countVoid) throws SpfError {
        if (validated == null) {
            List<Domain> names;
            try {
                names = dns.ptr(ip);
            } catch (Dns.NoSuchDomain | Dns.DnsFailure e) {
                names = List.of();
            }
            ptrVoid = names.isEmpty();
            List<Domain> found = new ArrayList<>();
            for (Domain name : names.subList(0, Math.min(MAX_NAMES, names.size()))) {
                try {
                    if (addresses(name, false).contains(ip)) found.add(name);
                } catch (SpfError e) {
                    // a failing forward look-up just leaves this name unvalidated
                }
            }
            validated = List.copyOf(found);
        }
        if (ptrVoid && countVoid) noteVoid();
        return validated;
    }

    /** @param counted whether %{p} counts as a DNS-querying term: in a domain-spec yes, in explanation text no */
    private SpfMacro.Values values(String domain, boolean counted) {
        return letter -> switch (letter) {
            case 's' -> local + "@" + senderDomain;
            case 'l' -> local;
            case 'o' -> senderDomain;
            case 'd' -> domain;
            case 'i' -> IpText.dotted(ip);
            case 'c' -> IpText.readable(ip);
            case 'v' -> ip instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'r' -> receiver;
            case 't' -> Long.toString(clock.instant().getEpochSecond());
            case 'p' -> validatedName(domain, counted);
            default -> "";
        };
    }

    /**
     * %{p} (section 7.3): a validated name within {@code domain} if any, else any validated name, else
     * "unknown". Section 4.6.4 includes the PTR look-up it needs in the limit of 10, so each %{p} of a
     * mechanism or modifier counts one (the look-up itself is made once per check); the exp= text is
     * expanded after the evaluation and is not subject to the limit.
     */
    private String validatedName(String domain, boolean counted) throws SpfError {
        if (counted) countLookup();
        List<Domain> names = validatedNames(false);
        Domain d = queryName(domain);
        for (Domain n : names) if (d != null && n.isWithin(d)) return n.name();
        return names.isEmpty() ? "unknown" : names.getFirst().name();
    }

    /** {@code name} as a DNS name we can query (labels of 1 to 63 octets, section 4.3), or null. */
    static Domain queryName(String name) {
        if (name == null || name.isEmpty()) return null;
        String s = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (String label : s.split("\\.", -1)) if (label.isEmpty() || label.length() > 63) return null;
        try {
            return new Domain(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

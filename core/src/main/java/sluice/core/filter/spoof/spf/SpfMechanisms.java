package sluice.core.filter.spoof.spf;

import sluice.core.dns.Dns;
import sluice.core.mail.Domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/** Whether one mechanism matches the client (RFC 7208 section 5). */
final class SpfMechanisms {

    private SpfMechanisms() {
    }

    static boolean matches(SpfEvaluation ev, SpfRecord.Directive d, String domain) throws SpfError {
        InetAddress ip = ev.ip();
        return switch (d.kind()) {
            case ALL -> true;
            case IP4 -> ip instanceof Inet4Address && IpText.matches(ip, d.network(), d.cidr4());
            case IP6 -> ip instanceof Inet6Address && IpText.matches(ip, d.network(), d.cidr6());
            case INCLUDE -> include(ev, d, domain);
            case A -> {
                ev.countLookup();
                Domain target = target(ev, d, domain);
                yield target != null && anyInCidr(ev.addresses(target, true), d, ip);
            }
            case MX -> mx(ev, d, domain);
            case PTR -> {
                ev.countLookup();
                Domain target = target(ev, d, domain);
                if (target == null) yield false;
                for (Domain name : ev.validatedNames(true)) if (name.isWithin(target)) yield true;
                yield false;
            }
            case EXISTS -> {
                ev.countLookup();
                Domain target = target(ev, d, domain);
                yield target != null && exists(ev, target);
            }
        };
    }

    /** Section 5.2: pass matches; fail, softfail and neutral do not; none and errors are errors. */
    private static boolean include(SpfEvaluation ev, SpfRecord.Directive d, String domain) throws SpfError {
        ev.countLookup();
        Domain target = ev.target(d.domainSpec(), domain);
        if (target == null) throw SpfError.perm("include:" + d.domainSpec() + " does not name a valid domain");
        SpfEvaluation.Outcome inner = ev.checkHost(target.name());
        return switch (inner.code()) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            case NONE -> throw SpfError.perm("include:" + target + " has no SPF record (section 5.2)");
            case TEMPERROR -> throw SpfError.temp(inner.reason());
            case PERMERROR -> throw SpfError.perm(inner.reason());
        };
    }

    /** Section 5.4: the addresses of at most 10 MX hosts; no MX is no match (never the domain's own A). */
    private static boolean mx(SpfEvaluation ev, SpfRecord.Directive d, String domain) throws SpfError {
        ev.countLookup();
        Domain target = target(ev, d, domain);
        if (target == null) return false;
        List<Dns.Mx> mxs;
        try {
            mxs = ev.dns().mx(target);
        } catch (Dns.NoSuchDomain e) {
            mxs = List.of();
        } catch (Dns.DnsFailure e) {
            throw SpfError.temp("DNS failure looking up the MX of " + target + ": " + e.getMessage());
        }
        if (mxs.isEmpty()) ev.noteVoid();
        if (mxs.size() > SpfEvaluation.MAX_NAMES) throw SpfError.perm(target + " has more than 10 MX records (section 4.6.4)");
        for (Dns.Mx mx : mxs) {
            if (mx.isNull()) continue;
            if (anyInCidr(ev.addresses(mx.exchange(), false), d, ev.ip())) return true;
        }
        return false;
    }

    /** Section 5.7: an A look-up whatever the client's family. */
    private static boolean exists(SpfEvaluation ev, Domain target) throws SpfError {
        try {
            if (!ev.dns().a(target).isEmpty()) return true;
        } catch (Dns.NoSuchDomain e) {
            // void
        } catch (Dns.DnsFailure e) {
            throw SpfError.temp("DNS failure looking up " + target + ": " + e.getMessage());
        }
        ev.noteVoid();
        return false;
    }

    private static Domain target(SpfEvaluation ev, SpfRecord.Directive d, String domain) throws SpfError {
        return d.domainSpec() == null ? SpfEvaluation.queryName(domain) : ev.target(d.domainSpec(), domain);
    }

    private static boolean anyInCidr(List<InetAddress> addresses, SpfRecord.Directive d, InetAddress ip) {
        int prefix = ip instanceof Inet4Address ? d.cidr4() : d.cidr6();
        for (InetAddress a : addresses) if (IpText.matches(ip, a.getAddress(), prefix)) return true;
        return false;
    }
}

package sluice.core.deliver.remote;

import sluice.core.deliver.Outcome;
import sluice.core.dns.Dns;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a route's next hop into the addresses to try, in order, or into one outcome for everyone
 * when there is nowhere to go (RFC 5321 section 5.1, RFC 7505).
 */
final class Targets {

    /** Postfix tries 5 addresses per delivery by default; we allow a few more for smart-host lists. */
    static final int MAX_TARGETS = 10;
    /** MX hosts looked at per domain; more than this is a misconfiguration or an attempt to make us do DNS work. */
    static final int MAX_MX_HOSTS = 20;

    sealed interface Resolution permits Hosts, Fail {}
    record Hosts(List<Target> targets) implements Resolution {}
    record Fail(Outcome outcome) implements Resolution {}

    private final Dns dns;
    private final int mxPort;
    private final NodeAddresses thisNode;
    private final boolean mxMayBeThisNode;

    Targets(Dns dns, RemoteDeliveryOptions options) {
        this.dns = dns;
        this.mxPort = options.mxPort();
        this.thisNode = options.thisNode();
        this.mxMayBeThisNode = options.mxMayBeThisNode();
    }

    Resolution forMx(Domain domain) {
        List<Dns.Mx> mxs;
        try {
            mxs = dns.mx(domain);
        } catch (Dns.NoSuchDomain e) {
            return new Fail(new Outcome.Bounced("550 5.1.2 Host or domain name not found: " + domain + " does not exist",
                    "MX lookup: " + e.getMessage()));
        } catch (Dns.DnsFailure e) {
            return new Fail(new Outcome.Deferred("451 4.4.3 DNS lookup for " + domain + " failed; will retry",
                    "MX lookup: " + e.getMessage()));
        }
        if (mxs.size() == 1 && mxs.getFirst().isNull())
            return new Fail(new Outcome.Bounced("556 5.1.10 Recipient domain " + domain + " does not accept mail (null MX)",
                    domain + " publishes a null MX (RFC 7505)"));
        boolean implicit = mxs.isEmpty();
        // RFC 5321 section 5.1: the domain itself is the implicit MX
        List<Dns.Mx> hosts = implicit ? List.of(new Dns.Mx(0, domain)) : mxs.subList(0, Math.min(mxs.size(), MAX_MX_HOSTS));
        List<String> problems = new ArrayList<>();
        boolean temporary = false;
        boolean loops = false;
        // Resolve every host first: when this node is one of them, it and every host less preferred than it are
        // dropped (RFC 5321 section 5.1), so a backup MX is not handed mail that it would only send back here.
        List<List<InetAddress>> resolved = new ArrayList<>();
        int selfPreference = Integer.MAX_VALUE;
        for (Dns.Mx mx : hosts) {
            List<InetAddress> addrs = List.of();
            try {
                addrs = dns.addresses(mx.exchange());
                if (addrs.isEmpty()) problems.add(mx.exchange() + " has no A/AAAA records");
            } catch (Dns.NoSuchDomain e) {
                problems.add(mx.exchange() + " does not exist");
            } catch (Dns.DnsFailure e) {
                problems.add(e.getMessage());
                temporary = true;
            }
            if (!mxMayBeThisNode && addrs.stream().anyMatch(thisNode::isSurelyThisNode)) {
                problems.add(mx.exchange() + " is an address of this node");
                loops = true;
                selfPreference = Math.min(selfPreference, mx.preference());
            }
            resolved.add(addrs);
        }
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < hosts.size() && targets.size() < MAX_TARGETS; i++) {
            if (hosts.get(i).preference() >= selfPreference) continue;
            for (InetAddress a : resolved.get(i))
                if (targets.size() < MAX_TARGETS) targets.add(new Target(hosts.get(i).exchange().name(), new InetSocketAddress(a, mxPort)));
        }
        if (!targets.isEmpty()) return new Hosts(targets);
        String why = String.join("; ", problems);
        if (loops && !temporary) // Postfix's "mail for ... loops back to myself"
            return new Fail(new Outcome.Bounced("554 5.4.6 Mail for " + domain + " loops back to this node", why));
        if (temporary)
            return new Fail(new Outcome.Deferred("451 4.4.3 DNS lookup for the mail hosts of " + domain + " failed; will retry", why));
        String what = implicit ? domain + " has no MX and no address records" : "no MX host of " + domain + " has an address";
        return new Fail(new Outcome.Bounced("550 5.4.4 Unable to route: " + what, why));
    }

    /**
     * Smart hosts in the order given; a smart host that cannot be resolved only ever defers (the admin can fix it).
     * Unless {@code localAllowed}, an address of this node itself ({@link NodeAddresses}) is left out, whether the host
     * was given as that address or as a name that resolves to it; when nothing else is left the mail defers.
     */
    Resolution forSmartHosts(List<HostPort> hosts, String connector, boolean localAllowed) {
        List<Target> targets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean refusedLocal = false;
        for (HostPort hp : hosts) {
            int port = hp.portOr(25);
            InetAddress literal = literal(hp.host());
            try {
                String name = literal != null ? hp.host() : Domain.of(hp.host()).name();
                List<InetAddress> addrs = literal != null ? List.of(literal) : dns.addresses(Domain.of(hp.host()));
                for (InetAddress a : addrs) {
                    if (!localAllowed && thisNode.isThisNode(a)) {
                        // which address is not said: the node's own addresses are not the tenant's to learn
                        problems.add(hp.host() + (literal != null ? " is" : " resolves to") + " an address of this node; "
                                + "only a global administrator's connector may deliver there");
                        refusedLocal = true;
                        continue;
                    }
                    targets.add(new Target(name, new InetSocketAddress(a, port)));
                }
                if (addrs.isEmpty()) problems.add(hp.host() + " has no A/AAAA records");
            } catch (Dns.NoSuchDomain e) {
                problems.add(hp.host() + " does not exist");
            } catch (Dns.DnsFailure e) {
                problems.add(e.getMessage());
            } catch (IllegalArgumentException e) {
                problems.add(hp.host() + " is not a valid host name");
            }
        }
        if (!targets.isEmpty()) return new Hosts(targets.subList(0, Math.min(targets.size(), MAX_TARGETS)));
        if (refusedLocal)
            return new Fail(new Outcome.Deferred("451 4.4.0 Smart hosts of connector " + connector
                    + " lead to this node itself; will retry", String.join("; ", problems)));
        return new Fail(new Outcome.Deferred("451 4.4.3 Smart hosts of connector " + connector + " could not be resolved",
                String.join("; ", problems)));
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

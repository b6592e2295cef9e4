package sluice.core.filter.connection;

import sluice.core.connector.IpRange;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Stage;
import sluice.core.filter.Symbol;
import sluice.core.filter.Verdict;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.filter.policy.Policies;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Connection filtering: the organization's IP allow and block lists, then the node's DNS block
 * lists, checked against the originating IP (the connecting one unless enhanced filtering recovered
 * another). The block list wins over the allow list, and an allowed IP is not looked up, as in EOP;
 * internal mail is never checked against DNS block lists.
 */
public final class ConnectionFilterStage implements Stage {

    private final Policies policies;
    private final DnsBlockLists blockLists;

    public ConnectionFilterStage(Policies policies) {
        this(policies, new DnsBlockLists(null, List.of(), null, java.time.Duration.ZERO));
    }

    public ConnectionFilterStage(Policies policies, DnsBlockLists blockLists) {
        this.policies = policies;
        this.blockLists = blockLists;
    }

    @Override
    public String name() {
        return "connection filtering";
    }

    @Override
    public void connected(InetAddress client) {
        blockLists.prefetch(client);
    }

    @Override
    public Optional<Verdict> inspect(Inspection m, Findings findings) {
        ConnectionFilterPolicy policy = policies.connectionFilter(m.organizationId());
        InetAddress ip = m.originatingAddress();
        if (contains(policy.ipBlockList(), ip)) {
            findings.add(new Symbol("IP_BLOCKLISTED", 100, ip.getHostAddress() + " on the organization's IP block list"));
            findings.add(new Facts.Connection(false, true, "the organization's IP block list"));
        } else if (contains(policy.ipAllowList(), ip)) {
            findings.add(new Symbol("IP_ALLOWLISTED", -100, ip.getHostAddress() + " on the organization's IP allow list"));
            findings.add(new Facts.Connection(true, false, "the organization's IP allow list"));
        } else if (!m.internal()) {
            blockLists.check(ip).ifPresent(listing -> {
                findings.add(new Symbol("IP_DNSBL_LISTED", 100, ip.getHostAddress() + " on " + listing.zone() + " (" + listing.answer() + ")"));
                findings.add(new Facts.Connection(false, true, "DNS block list " + listing.zone()));
            });
        }
        return Optional.empty();
    }

    private static boolean contains(List<IpRange> ranges, InetAddress ip) {
        return ranges.stream().anyMatch(r -> r.contains(ip));
    }
}

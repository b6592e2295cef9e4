package sluice.core.filter.policy;

import sluice.core.connector.IpRange;

import java.util.List;

/**
 * An organization's connection filter: mail from an allowed IP skips spam filtering (SCL -1, never
 * anti-malware); mail from a blocked IP is refused. The IP is the originating one when an inbound
 * connector's enhanced filtering recovered it.
 */
public record ConnectionFilterPolicy(List<IpRange> ipAllowList, List<IpRange> ipBlockList) {

    public static final ConnectionFilterPolicy DEFAULT = new ConnectionFilterPolicy(List.of(), List.of());

    public ConnectionFilterPolicy {
        ipAllowList = List.copyOf(ipAllowList);
        ipBlockList = List.copyOf(ipBlockList);
    }
}

package sluice.core.connector;

import sluice.core.mail.Headers;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enhanced filtering for connectors (EOP's "skip listing"): when mail reaches us through another
 * filter or hop, the connecting IP says nothing about the sender. The hops are the connecting IP,
 * then the IP in the "from" clause of each Received field, newest first; the originating IP is the
 * first hop that the connector does not tell us to skip ({@code efSkipLastIp} skips the connecting
 * one, {@code efSkipIps} every hop inside those ranges).
 */
public final class OriginatingIp {

    private static final Pattern FROM_IP = Pattern.compile("\\[(?:IPv6:)?([0-9A-Fa-f:.]+)]");
    private static final int MAX_HOPS = 50;

    private OriginatingIp() {
    }

    public static InetAddress recover(InetAddress connecting, byte[] content, InboundConnector connector) {
        if (connector == null || (!connector.efSkipLastIp() && connector.efSkipIps().isEmpty())) return connecting;
        List<InetAddress> hops = new ArrayList<>();
        hops.add(connecting);
        for (String received : Headers.all(content, "Received", MAX_HOPS)) {
            InetAddress ip = fromClauseIp(received);
            if (ip != null) hops.add(ip);
        }
        for (int i = connector.efSkipLastIp() ? 1 : 0; i < hops.size(); i++) {
            InetAddress hop = hops.get(i);
            if (connector.efSkipIps().stream().noneMatch(r -> r.contains(hop))) return hop;
        }
        return hops.getLast(); // every hop skipped: the oldest one we know is the best guess
    }

    /** The IP literal of the "from" clause (RFC 5321 section 4.4 TCP-info), or null. */
    static InetAddress fromClauseIp(String received) {
        String lower = received.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("from ")) return null;
        int by = lower.indexOf(" by ");
        Matcher m = FROM_IP.matcher(by < 0 ? received : received.substring(0, by));
        while (m.find()) {
            try {
                IpRange.parse(m.group(1)); // literal check: never resolve a name
                return InetAddress.getByName(m.group(1));
            } catch (IllegalArgumentException | UnknownHostException e) {
                // not an address; look for the next bracket
            }
        }
        return null;
    }
}

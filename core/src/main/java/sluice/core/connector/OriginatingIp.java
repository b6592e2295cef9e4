package sluice.core.connector;

import sluice.core.mail.Headers;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enhanced filtering for connectors (EOP's "skip listing"): when mail reaches us through another
 * filter or hop, the connecting IP says nothing about the sender. The hops are the connecting IP,
 * then the address each Received field says its server saw connecting, newest first; the originating
 * IP is the first hop that the connector does not tell us to skip ({@code efSkipLastIp} skips the
 * connecting one, {@code efSkipIps} every hop inside those ranges).
 *
 * <p>Only a skipped hop's own Received field is read, and only the address its server wrote (the TCP-info
 * comment, RFC 5321 section 4.4), never the HELO name before it, which the client chose: "from [8.8.8.8]
 * (unknown [203.0.113.5])" is 203.0.113.5. A skipped hop whose field names no address ends the walk at that
 * hop: reading on would take older fields, which whoever connected to it wrote, at their word.
 */
public final class OriginatingIp {

    private static final Pattern BRACKETED = Pattern.compile("\\[(?:IPv6:)?([0-9A-Fa-f:.]+)]");
    private static final int MAX_HOPS = 50;

    private OriginatingIp() {
    }

    public static InetAddress recover(InetAddress connecting, byte[] content, InboundConnector connector) {
        if (connector == null || (!connector.efSkipLastIp() && connector.efSkipIps().isEmpty())) return connecting;
        List<String> received = Headers.all(content, "Received", MAX_HOPS);
        InetAddress hop = connecting;
        boolean skip = connector.efSkipLastIp() || skipped(connector, hop);
        for (int i = 0; skip && i < received.size(); i++) {
            InetAddress before = fromClauseIp(received.get(i));
            if (before == null) return hop; // the trusted hop did not say who connected to it
            hop = before;
            skip = skipped(connector, hop);
        }
        return hop; // not skipped, or every hop skipped: the oldest one we know is the best guess
    }

    private static boolean skipped(InboundConnector connector, InetAddress hop) {
        return connector.efSkipIps().stream().anyMatch(r -> r.contains(hop));
    }

    /**
     * The address in the "from" clause's TCP-info comment ({@code from helo (name [ip])}, or Exchange's
     * {@code from helo (ip)}), or null. The HELO token itself is read only in Exim's form for a host without a
     * reverse name, {@code from [ip] (helo=name)}, where Exim, not the client, wrote it.
     */
    static InetAddress fromClauseIp(String received) {
        String field = received.replaceAll("\\r?\\n[ \\t]", " ");
        if (!field.regionMatches(true, 0, "from ", 0, 5)) return null;
        int i = 5;
        while (i < field.length() && Character.isWhitespace(field.charAt(i))) i++;
        int tokenStart = i;
        while (i < field.length() && !Character.isWhitespace(field.charAt(i)) && field.charAt(i) != '(') i++;
        String token = field.substring(tokenStart, i);
        while (i < field.length() && Character.isWhitespace(field.charAt(i))) i++;
        if (i >= field.length() || field.charAt(i) != '(') return null;
        String comment = comment(field, i);
        int helo = comment.toLowerCase(Locale.ROOT).indexOf("helo=");
        if (helo >= 0) { // Exim writes the client's HELO in the comment after the address: never that
            String before = comment.substring(0, helo);
            if (before.isBlank()) {
                Matcher exim = BRACKETED.matcher(token); // "from [ip] (helo=name)": Exim's, for a host without a name
                return exim.matches() ? literal(exim.group(1)) : null;
            }
            comment = before;
        }
        Matcher m = BRACKETED.matcher(comment);
        if (m.find()) return literal(m.group(1));
        String first = comment.strip().split("[\\s()]", 2)[0];
        return literal(first);
    }

    /** The text of the parenthesized comment that opens at {@code open}, nested comments included. */
    private static String comment(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return s.substring(open + 1, i);
        }
        return s.substring(open + 1);
    }

    /** An IP address literal, never a name to resolve; null for anything else. */
    private static InetAddress literal(String s) {
        if (s.isEmpty() || !s.matches("[0-9A-Fa-f:.]+") || s.indexOf(':') < 0 && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return null;
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

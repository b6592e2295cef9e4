package sluice.smtp.server;

import sluice.smtp.Reply;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;

/**
 * The Reverse-path and Forward-path syntax of RFC 5321 section 4.1.2, extended by RFC 6531 (UTF-8).
 *
 * <p>It refuses what is malformed and passes everything well-formed through as written: the percent
 * hack ({@code user%c@b}), bang paths ({@code c!user@b}) and quoted local parts ({@code "u@c"@b})
 * are valid syntax, and whether they mean relaying is the handler's decision. Angle brackets are
 * required (no RFC 821 leniency). A source route is dropped from a reverse-path (RFC 5321 section
 * 4.1.1.2: it SHOULD be ignored) and refused in a forward-path with 553 5.7.1: section 3.6.1 lets a
 * server decline the relaying a route implies, and a route is the oldest relay trick.
 */
final class PathParser {

    /** A parsed path: the address (empty for {@code <>}) and the text after the closing bracket. */
    record Path(String address, String parameters, boolean nonAscii) {
    }

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
    private static final int MAX_PATH_OCTETS = 256;
    private static final Reply SOURCE_ROUTE = Reply.of(553, "5.7.1", "Source routes are not accepted");

    private PathParser() {
    }

    static Path reversePath(String arg) throws ReplyException {
        return parse(arg, false, Reply.of(501, "5.1.7", "Bad sender address syntax"));
    }

    static Path forwardPath(String arg) throws ReplyException {
        return parse(arg, true, Reply.of(501, "5.1.3", "Bad recipient address syntax"));
    }

    private static Path parse(String arg, boolean forward, Reply bad) throws ReplyException {
        String s = arg.stripLeading();
        if (!s.startsWith("<")) throw new ReplyException(bad);
        int close = closingBracket(s);
        if (close < 0) throw new ReplyException(bad);
        String inner = s.substring(1, close);
        String rest = s.substring(close + 1);
        if (!rest.isEmpty() && rest.charAt(0) != ' ') throw new ReplyException(bad);
        if (inner.getBytes(StandardCharsets.UTF_8).length + 2 > MAX_PATH_OCTETS) throw new ReplyException(bad);
        boolean nonAscii = inner.chars().anyMatch(c -> c > 127);
        if (inner.isEmpty()) {
            if (forward) throw new ReplyException(bad);
            return new Path("", rest.strip(), false);
        }
        if (inner.charAt(0) == '@') {
            int colon = inner.indexOf(':');
            if (colon < 0 || !validRoute(inner.substring(0, colon))) throw new ReplyException(bad);
            if (forward) throw new ReplyException(SOURCE_ROUTE);
            inner = inner.substring(colon + 1);
        }
        if (forward && inner.equalsIgnoreCase("postmaster")) return new Path(inner, rest.strip(), false);
        if (!validMailbox(inner)) throw new ReplyException(bad);
        return new Path(inner, rest.strip(), nonAscii);
    }

    /** Index of the '>' ending the path, skipping quoted strings; -1 if there is none. */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (!quoted && c == '>') return i;
            else if (!quoted && c == '<') return -1;
        }
        return -1;
    }

    private static boolean validRoute(String route) {
        for (String hop : route.split(",", -1)) {
            if (hop.length() < 2 || hop.charAt(0) != '@' || !validDomain(hop.substring(1))) return false;
        }
        return true;
    }

    private static boolean validMailbox(String m) {
        int at;
        if (m.startsWith("\"")) {
            at = endOfQuoted(m) + 1;
            if (at <= 0 || at >= m.length() || m.charAt(at) != '@') return false;
        } else {
            at = m.indexOf('@');
            if (at <= 0 || !validDotString(m.substring(0, at))) return false;
        }
        String domain = m.substring(at + 1);
        return domain.startsWith("[") ? validAddressLiteral(domain) : validDomain(domain);
    }

    /** Index of the closing quote of the quoted string starting at 0, or -1. */
    private static int endOfQuoted(String m) {
        for (int i = 1; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c == '\\') {
                if (i + 1 >= m.length() || !qtextOrPair(m.charAt(i + 1), true)) return -1;
                i++;
            } else if (c == '"') {
                return i;
            } else if (!qtextOrPair(c, false)) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean qtextOrPair(char c, boolean pair) {
        if (c > 127) return true;
        if (pair) return c >= 32 && c <= 126;
        return c == 32 || c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126);
    }

    private static boolean validDotString(String local) {
        if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) return false;
        return local.chars().allMatch(c -> c == '.' || c > 127 || isAlnum(c) || ATEXT_SPECIALS.indexOf(c) >= 0);
    }

    static boolean validDomain(String d) {
        if (d.isEmpty() || d.length() > 255) return false;
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) return false;
            if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') return false;
            if (!label.chars().allMatch(c -> isAlnum(c) || c == '-' || c > 127)) return false;
        }
        return true;
    }

    private static boolean validAddressLiteral(String lit) {
        if (!lit.endsWith("]") || lit.length() < 3) return false;
        String body = lit.substring(1, lit.length() - 1);
        if (body.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = body.substring(5);
            if (!v6.contains(":")) return false;
            try {
                return Inet6Address.ofLiteral(v6) != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        int colon = body.indexOf(':');
        if (colon > 0) { // General-address-literal: Standardized-tag ":" 1*dcontent
            String tag = body.substring(0, colon), content = body.substring(colon + 1);
            return validDomain(tag) && !content.isEmpty()
                    && content.chars().allMatch(c -> (c >= 33 && c <= 90) || (c >= 94 && c <= 126));
        }
        return validIpv4(body);
    }

    private static boolean validIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static boolean isAlnum(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}

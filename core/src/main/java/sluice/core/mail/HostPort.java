package sluice.core.mail;

/**
 * A next hop as an admin writes it: {@code host}, {@code host:port}, an IPv4 address, or an IPv6
 * address in brackets ({@code [2001:db8::1]:2525}). {@code port} is -1 when not given (the caller
 * supplies its default, 25 for SMTP).
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("empty host");
        if (port != -1 && (port < 1 || port > 65535)) throw new IllegalArgumentException("port out of range: " + port);
    }

    public static HostPort parse(String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("empty host");
        s = s.trim();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("unclosed '[' in " + s);
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) return new HostPort(host, -1);
            if (!rest.startsWith(":")) throw new IllegalArgumentException("bad host:port " + s);
            return new HostPort(host, parsePort(rest.substring(1), s));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) return new HostPort(s, -1); // bare IPv6
        if (colon < 0) return new HostPort(s, -1);
        return new HostPort(s.substring(0, colon), parsePort(s.substring(colon + 1), s));
    }

    private static int parsePort(String p, String whole) {
        try {
            return Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + whole);
        }
    }

    public int portOr(int fallback) {
        return port == -1 ? fallback : port;
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == -1 ? h : h + ":" + port;
    }
}

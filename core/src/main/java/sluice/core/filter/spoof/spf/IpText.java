package sluice.core.filter.spoof.spf;

import sluice.core.mail.IpLiteral;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Address forms SPF needs: normalization, CIDR matching and the %{i} / %{c} macro texts. */
final class IpText {

    private IpText() {
    }

    /** RFC 7208 section 5 (item 9.2): an IPv4-mapped IPv6 client is an IPv4 client. */
    static InetAddress normalize(InetAddress ip) {
        if (ip instanceof Inet6Address) {
            byte[] b = ip.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) mapped = b[i] == 0;
            if (mapped) {
                byte[] v4 = {b[12], b[13], b[14], b[15]};
                return Inet4Address.ofLiteral((v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[3] & 0xff));
            }
        }
        return ip;
    }

    /** True when the first {@code prefix} bits of {@code ip} equal those of {@code network}. */
    static boolean matches(InetAddress ip, byte[] network, int prefix) {
        byte[] a = ip.getAddress();
        if (a.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** %{i}: dotted quad, or dot-separated nibbles for IPv6 (section 7.3; lower case as in its examples). */
    static String dotted(InetAddress ip) {
        if (ip instanceof Inet4Address) return ip.getHostAddress();
        StringBuilder s = new StringBuilder();
        for (byte b : ip.getAddress()) {
            if (!s.isEmpty()) s.append('.');
            s.append(Character.forDigit((b >> 4) & 0xf, 16)).append('.').append(Character.forDigit(b & 0xf, 16));
        }
        return s.toString();
    }

    /** %{c}: dotted quad, or the RFC 5952 text form of an IPv6 address. */
    static String readable(InetAddress ip) {
        return IpLiteral.text(ip.getAddress());
    }
}

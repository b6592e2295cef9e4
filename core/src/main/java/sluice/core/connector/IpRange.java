package sluice.core.connector;

import sluice.core.mail.IpLiteral;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}); a
 * bare address is a range of one. Parsing never consults DNS: only literal addresses are accepted.
 */
public record IpRange(byte[] network, int prefixLength) {

    public IpRange {
        if (network.length != 4 && network.length != 16) throw new IllegalArgumentException("not an IP address");
        if (prefixLength < 0 || prefixLength > network.length * 8)
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        network = mask(network.clone(), prefixLength);
    }

    public static IpRange parse(String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("empty IP range");
        String text = s.trim();
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(addr);
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + s);
            }
        }
        return new IpRange(bytes, prefix);
    }

    /** Parses an IP literal without any name resolution. */
    private static byte[] literal(String addr) {
        boolean v4 = addr.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = addr.contains(":") && addr.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) throw new IllegalArgumentException("not an IP address: " + addr);
        if (v4) {
            for (String part : addr.split("\\.")) {
                if (Integer.parseInt(part) > 255) throw new IllegalArgumentException("not an IP address: " + addr);
            }
        }
        try {
            return InetAddress.getByName(addr).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + addr);
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) a = Arrays.copyOfRange(a, 12, 16);
        if (a.length != network.length) return false;
        return Arrays.equals(mask(a.clone(), prefixLength), network);
    }

    /** True when some address is in both ranges (same family, and the wider one contains the other's network). */
    public boolean overlaps(IpRange other) {
        if (other.network.length != network.length) return false;
        int shorter = Math.min(prefixLength, other.prefixLength);
        return Arrays.equals(mask(network.clone(), shorter), mask(other.network.clone(), shorter));
    }

    /** True for an IPv4 range. */
    public boolean isV4() {
        return network.length == 4;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - bits));
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    /** {@code 192.0.2.0/24}, {@code 2001:db8::/32} (RFC 5952); no prefix for a single address. */
    @Override
    public String toString() {
        String a = IpLiteral.text(network);
        return prefixLength == network.length * 8 ? a : a + "/" + prefixLength;
    }
}

package sluice.smtp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The unit that per-client limits count: an IPv4 address, or the /64 an IPv6 address is in. A single
 * IPv6 customer is routinely given a whole /64 (RFC 6177), so counting exact IPv6 addresses would let
 * one client open as many "clients" as it likes. Equal values are the same client.
 */
public record ClientNetwork(InetAddress base, int prefixLength) {

    private static final int IPV6_SITE = 64;

    public ClientNetwork {
        if (prefixLength < 0 || prefixLength > base.getAddress().length * 8)
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
    }

    public static ClientNetwork of(InetAddress address) {
        if (!(address instanceof Inet6Address)) return new ClientNetwork(address, 32);
        byte[] octets = Arrays.copyOf(address.getAddress(), 16);
        // an IPv4 client seen through IPv4-mapped (::ffff:0:0/96) or NAT64's well-known prefix (64:ff9b::/96,
        // RFC 6052) is that IPv4 address: its /64 would lump every IPv4 sender of the node together
        if (embedsIpv4(octets)) {
            try {
                return new ClientNetwork(InetAddress.getByAddress(Arrays.copyOfRange(octets, 12, 16)), 32);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        Arrays.fill(octets, IPV6_SITE / 8, 16, (byte) 0);
        try {
            return new ClientNetwork(InetAddress.getByAddress(octets), IPV6_SITE); // no scope id: every interface alike
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean embedsIpv4(byte[] v6) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) mapped &= v6[i] == 0;
        mapped &= v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
        boolean nat64 = v6[0] == 0 && v6[1] == 0x64 && v6[2] == (byte) 0xff && v6[3] == (byte) 0x9b;
        for (int i = 4; i < 12; i++) nat64 &= v6[i] == 0;
        return mapped || nat64;
    }

    /** The client network of an address literal; a string that is no IP literal is its own key. */
    public static String keyOf(String addressLiteral) {
        try {
            return of(InetAddress.ofLiteral(addressLiteral)).toString();
        } catch (IllegalArgumentException notAnAddress) {
            return addressLiteral;
        }
    }

    /** "192.0.2.7" or "2001:db8:1:2:0:0:0:0/64". */
    @Override
    public String toString() {
        String host = base.getHostAddress();
        return prefixLength == base.getAddress().length * 8 ? host : host + "/" + prefixLength;
    }
}

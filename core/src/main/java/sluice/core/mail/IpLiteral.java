package sluice.core.mail;

/** The one text form we show an IP address in: dotted quad, or RFC 5952 canonical IPv6. */
public final class IpLiteral {

    private IpLiteral() {
    }

    /**
     * {@code address} (4 or 16 octets) as text. IPv6 per RFC 5952 section 4: lower case, no leading
     * zeros, the longest run of two or more zero groups (the first of equals) as "::"; a single zero
     * group is not shortened (section 4.2.2). InetAddress writes every group instead.
     */
    public static String text(byte[] address) {
        if (address.length == 4)
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        if (address.length != 16) throw new IllegalArgumentException("not an IP address: " + address.length + " octets");
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}

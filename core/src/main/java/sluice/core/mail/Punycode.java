package sluice.core.mail;

/**
 * Punycode (RFC 3492): the encoding of an A-label's Unicode after "xn--". Only the encoder, for the labels
 * {@link Domain} maps itself; every other label goes through {@link java.net.IDN}, whose encoder is the same.
 */
final class Punycode {

    private static final int BASE = 36;
    private static final int TMIN = 1;
    private static final int TMAX = 26;
    private static final int SKEW = 38;
    private static final int DAMP = 700;
    private static final int INITIAL_BIAS = 72;
    private static final int INITIAL_N = 128;

    private Punycode() {
    }

    /**
     * The encoding of {@code label}, without the "xn--" prefix: its ASCII code points in order, a hyphen if
     * there were any, then the other code points as generalized variable-length integers (section 6.3).
     * Work grows with the label's length times its distinct code points, so callers bound the length.
     */
    static String encode(String label) {
        int[] points = label.codePoints().toArray();
        StringBuilder out = new StringBuilder();
        for (int c : points) if (c < INITIAL_N) out.append((char) c);
        int basic = out.length();
        if (basic > 0) out.append('-');
        int n = INITIAL_N;
        int delta = 0;
        int bias = INITIAL_BIAS;
        for (int handled = basic; handled < points.length; n++) {
            int next = Integer.MAX_VALUE;
            for (int c : points) if (c >= n && c < next) next = c;
            delta = Math.addExact(delta, Math.multiplyExact(next - n, handled + 1));
            n = next;
            for (int c : points) {
                if (c < n) delta = Math.addExact(delta, 1);
                if (c != n) continue;
                int q = delta;
                for (int k = BASE; ; k += BASE) {
                    int t = k <= bias ? TMIN : Math.min(k - bias, TMAX);
                    if (q < t) break;
                    out.append(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                }
                out.append(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled++;
            }
            delta++;
        }
        return out.toString();
    }

    /** The bias after a code point (section 6.1), so small deltas take few digits. */
    private static int adapt(int delta, int points, boolean first) {
        delta = first ? delta / DAMP : delta / 2;
        delta += delta / points;
        int k = 0;
        while (delta > (BASE - TMIN) * TMAX / 2) {
            delta /= BASE - TMIN;
            k += BASE;
        }
        return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
    }

    private static char digit(int d) {
        return (char) (d < 26 ? 'a' + d : '0' + d - 26);
    }
}

package sluice.core.deliver.remote;

import java.util.Arrays;
import java.util.Deque;

/** The multiparts open at a point of a message, and which of their delimiters a line is (RFC 2046 section 5.1.1). */
final class Multiparts {

    private Multiparts() {
    }

    /** A multipart whose close delimiter has not been seen; a digest's parts default to message/rfc822. */
    record Open(byte[] boundary, boolean digest) {}

    /** A delimiter line of {@code of}; {@code close} for its close delimiter. */
    record Delimiter(Open of, boolean close) {}

    /**
     * The delimiter of an open multipart that the line [{@code pos}, {@code eol}) of {@code in} is, innermost first, or
     * null; trailing text after it is ignored, as Postfix and most readers ignore it.
     */
    static Delimiter delimiter(Deque<Open> open, byte[] in, int pos, int eol) {
        if (open.isEmpty() || eol - pos < 3 || in[pos] != '-' || in[pos + 1] != '-') return null;
        for (Open o : open) {
            byte[] b = o.boundary;
            if (eol - pos - 2 < b.length || !Arrays.equals(in, pos + 2, pos + 2 + b.length, b, 0, b.length)) continue;
            int after = pos + 2 + b.length;
            return new Delimiter(o, eol - after >= 2 && in[after] == '-' && in[after + 1] == '-');
        }
        return null;
    }
}

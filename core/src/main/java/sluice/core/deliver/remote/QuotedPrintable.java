package sluice.core.deliver.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Quoted-printable encoding of one line (RFC 2045 section 6.7), for a 7-bit conversion: octets outside
 * printable ASCII, "=", and a blank that would end a line are written =XX; output lines are at most 76
 * characters, the soft line break "=" included.
 */
final class QuotedPrintable {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LINE = 76;

    private QuotedPrintable() {}

    /**
     * Encodes the line content [{@code from}, {@code to}) and, when {@code hardBreak}, ends it with CRLF.
     * No output line starts with "-" ("=2D" instead): encoded, a line could otherwise become a MIME boundary
     * delimiter it never was ("--x=C3=A9y" from "--x\u00e9y" under boundary "x=C3=A9y"), and a continuation
     * after a soft break one that the original line, which did not start there, never was.
     */
    static void line(byte[] in, int from, int to, boolean hardBreak, OutputStream out) throws IOException {
        int col = 0;
        for (int i = from; i < to; i++) {
            int c = in[i] & 0xff;
            boolean literal = c >= 33 && c <= 126 && c != '='
                    || (c == ' ' || c == '\t') && i < to - 1;
            if (c == '-' && col == 0) literal = false;
            int width = literal ? 1 : 3;
            if (col + width > MAX_LINE - 1) {
                out.write(new byte[]{'=', '\r', '\n'});
                col = 0;
                if (c == '-') {
                    literal = false;
                    width = 3;
                }
            }
            if (literal) {
                out.write(c);
            } else {
                out.write('=');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xf]);
            }
            col += width;
        }
        if (hardBreak) out.write(new byte[]{'\r', '\n'});
    }
}

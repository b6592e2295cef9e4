package sluice.core.filter.dkim;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.regex.Pattern;

/** The "simple" and "relaxed" canonicalization algorithms (RFC 6376 section 3.4). */
enum Canonicalization {
    SIMPLE, RELAXED;

    private static final Pattern WSP = Pattern.compile("[ \t]+");

    static Canonicalization of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw new IllegalArgumentException("unknown canonicalization '" + name + "'");
        };
    }

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A header field as it enters the hash, with its CRLF (section 3.4.1, 3.4.2). */
    String header(String raw) {
        if (this == SIMPLE) return raw + "\r\n";
        int colon = raw.indexOf(':');
        String name = raw.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = WSP.matcher(raw.substring(colon + 1).replace("\r\n", "")).replaceAll(" ").strip();
        return name + ":" + value + "\r\n";
    }

    /** The body as it enters the hash (section 3.4.3, 3.4.4); {@code body} uses CRLF line ends. */
    byte[] body(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 2);
        int pendingEmpty = 0; // empty lines are written only when a non-empty line follows
        int start = 0;
        while (start < body.length) {
            int end = indexOfCrlf(body, start);
            int lineEnd = end < 0 ? body.length : end;
            byte[] line = this == RELAXED ? relaxLine(body, start, lineEnd) : java.util.Arrays.copyOfRange(body, start, lineEnd);
            if (line.length == 0) {
                pendingEmpty++;
            } else {
                for (; pendingEmpty > 0; pendingEmpty--) out.writeBytes(new byte[]{'\r', '\n'});
                out.writeBytes(line);
                out.writeBytes(new byte[]{'\r', '\n'});
            }
            start = end < 0 ? body.length : end + 2;
        }
        // section 3.4.3: an empty body is one CRLF for "simple"; section 3.4.4: nothing for "relaxed"
        if (out.size() == 0 && this == SIMPLE) out.writeBytes(new byte[]{'\r', '\n'});
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }

    /** Whitespace runs become one space, whitespace at the end of the line goes. */
    private static byte[] relaxLine(byte[] b, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        boolean space = false;
        for (int i = from; i < to; i++) {
            if (b[i] == ' ' || b[i] == '\t') {
                space = true;
                continue;
            }
            if (space) out.write(' ');
            space = false;
            out.write(b[i]);
        }
        return out.toByteArray();
    }
}

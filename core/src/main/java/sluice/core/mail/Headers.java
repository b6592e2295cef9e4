package sluice.core.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Reads header fields from raw message octets (RFC 5322 section 2.2) without a MIME parser: enough
 * for the values the queue and the trace need (Subject, Message-ID) and for copying the header block
 * into a bounce. Values are unfolded but not decoded (RFC 2047 encoded words stay as they are).
 */
public final class Headers {

    private Headers() {
    }

    /** Length of the header block including the empty line that ends it, or the whole length when there is none. */
    public static int headerLength(byte[] content) {
        for (int i = 0; i + 1 < content.length; i++) {
            if (content[i] == '\n' && (content[i + 1] == '\n'
                    || (content[i + 1] == '\r' && i + 2 < content.length && content[i + 2] == '\n'))) {
                return i + (content[i + 1] == '\n' ? 2 : 3);
            }
        }
        if (content.length >= 2 && content[0] == '\r' && content[1] == '\n') return 2;
        return content.length;
    }

    /**
     * The content without the header fields {@code drop} selects; it is given each whole field as
     * written (name, colon, value, folded lines and line ends; octets as ISO-8859-1). The same array
     * when nothing was dropped.
     */
    public static byte[] withoutFields(byte[] content, Predicate<String> drop) {
        int headerEnd = headerLength(content);
        ByteArrayOutputStream out = null;
        int fieldStart = 0;
        while (fieldStart < headerEnd) {
            int fieldEnd = lineEndIn(content, fieldStart, headerEnd); // the field with its continuation lines
            while (fieldEnd < headerEnd && (content[fieldEnd] == ' ' || content[fieldEnd] == '\t'))
                fieldEnd = lineEndIn(content, fieldEnd, headerEnd);
            if (drop.test(new String(content, fieldStart, fieldEnd - fieldStart, StandardCharsets.ISO_8859_1))) {
                if (out == null) {
                    out = new ByteArrayOutputStream(content.length);
                    out.write(content, 0, fieldStart);
                }
            } else if (out != null) {
                out.write(content, fieldStart, fieldEnd - fieldStart);
            }
            fieldStart = fieldEnd;
        }
        if (out == null) return content;
        out.write(content, headerEnd, content.length - headerEnd);
        return out.toByteArray();
    }

    /** Just past the LF that ends the line at {@code from} (or {@code end}). */
    private static int lineEndIn(byte[] content, int from, int end) {
        int i = from;
        while (i < end && content[i] != '\n') i++;
        return Math.min(i + 1, end);
    }

    /** The unfolded value of the first field named {@code name}, or null. */
    public static String first(byte[] content, String name) {
        List<String> all = all(content, name, 1);
        return all.isEmpty() ? null : all.getFirst();
    }

    /**
     * Unfolded values of the fields named {@code name}, in order, at most {@code max}. Called several
     * times for every message, so it scans the header block once per call without regular expressions.
     */
    public static List<String> all(byte[] content, String name, int max) {
        int end = headerLength(content);
        String block = new String(content, 0, end, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>(2);
        int pos = 0;
        while (pos < end && out.size() < max) {
            int eol = lineEnd(block, pos);
            int colon = colonAfter(block, pos, eol, name);
            if (colon < 0) {
                pos = eol + 1;
                continue;
            }
            StringBuilder v = new StringBuilder(block.substring(colon + 1, withoutCr(block, pos, eol)));
            int next = eol + 1;
            while (next < end && (block.charAt(next) == ' ' || block.charAt(next) == '\t')) {
                int e = lineEnd(block, next);
                String continuation = block.substring(next, withoutCr(block, next, e)).strip();
                if (continuation.isEmpty()) break; // a whitespace-only line ends the field
                v.append(' ').append(continuation);
                next = e + 1;
            }
            out.add(new String(v.toString().strip().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            pos = next;
        }
        return out;
    }

    /**
     * Where the colon of field {@code name} is when the line at {@code pos} starts that field, else
     * -1. Blanks between the name and the colon are allowed (RFC 5322 section 4.5.1, obs-optional):
     * mail readers show such a field, so every check must see it too.
     */
    private static int colonAfter(String block, int pos, int eol, String name) {
        if (!block.regionMatches(true, pos, name, 0, name.length())) return -1;
        int i = pos + name.length();
        while (i < eol && (block.charAt(i) == ' ' || block.charAt(i) == '\t')) i++;
        return i < eol && block.charAt(i) == ':' ? i : -1;
    }

    /** The index of the LF ending the line at {@code from}, or the block's length. */
    private static int lineEnd(String block, int from) {
        int lf = block.indexOf('\n', from);
        return lf < 0 ? block.length() : lf;
    }

    /** {@code eol} moved before a CR that precedes it, so values never carry the CR of CRLF. */
    private static int withoutCr(String block, int start, int eol) {
        return eol > start && block.charAt(eol - 1) == '\r' ? eol - 1 : eol;
    }
}

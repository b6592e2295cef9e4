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

    /**
     * Length of the header block: its fields and the blank line that ends them. The body is optional
     * (RFC 5322 section 3.5), so a message may have no blank line; then the header ends at the first line
     * that is neither a field ("name:", RFC 5322 section 3.6.8, blanks before the colon allowed as in
     * section 4.5.1) nor a folded continuation. A message that is only fields is header to its end; a
     * broken one's body is never read as header (nor copied as one: this bounds every caller's work).
     */
    public static int headerLength(byte[] content) {
        int pos = 0;
        while (pos < content.length) {
            int end = lineEndIn(content, pos, content.length);
            if (content[pos] == '\n' || content[pos] == '\r' && (end - pos == 1 || content[pos + 1] == '\n')) return end;
            boolean continuation = pos > 0 && (content[pos] == ' ' || content[pos] == '\t');
            if (!continuation && !startsField(content, pos, end)) return pos;
            pos = end;
        }
        return pos;
    }

    /**
     * The content with an empty line where its header ends at a line that is not a field, as Postfix's cleanup
     * does: every reader after us (the next hop, a mail client, a filter with a lenient parser) then agrees
     * that what follows is body, so field-like lines below a broken one cannot pass as header fields that
     * our checks never saw. The same array when the header is well formed.
     */
    public static byte[] withSeparator(byte[] content) {
        int headerEnd = headerLength(content);
        if (headerEnd == content.length || headerEnd > 0 && (content[headerEnd - 1] == '\n') && isBlankLineBefore(content, headerEnd))
            return content;
        byte[] out = new byte[content.length + 2];
        System.arraycopy(content, 0, out, 0, headerEnd);
        out[headerEnd] = '\r';
        out[headerEnd + 1] = '\n';
        System.arraycopy(content, headerEnd, out, headerEnd + 2, content.length - headerEnd);
        return out;
    }

    /** Whether the line that ends just before {@code end} is empty (CRLF or LF alone). */
    private static boolean isBlankLineBefore(byte[] content, int end) {
        int start = end - 1;
        if (start > 0 && content[start - 1] == '\r') start--;
        return start == 0 || content[start - 1] == '\n';
    }

    /** Whether the line from {@code pos} to {@code end} starts with a field name and its colon. */
    private static boolean startsField(byte[] content, int pos, int end) {
        int i = pos;
        while (i < end && content[i] > ' ' && content[i] < 127 && content[i] != ':') i++;
        if (i == pos) return false;
        while (i < end && (content[i] == ' ' || content[i] == '\t')) i++;
        return i < end && content[i] == ':';
    }

    /**
     * Whether the header has a field whose name starts with {@code prefix} (ASCII, any case). Reads the
     * octets in place: no copy of the header, however large it is.
     */
    public static boolean hasFieldStartingWith(byte[] content, String prefix) {
        int headerEnd = headerLength(content);
        for (int pos = 0; pos < headerEnd; pos = lineEndIn(content, pos, headerEnd)) {
            if (pos + prefix.length() > headerEnd) return false;
            if (new String(content, pos, prefix.length(), StandardCharsets.ISO_8859_1).equalsIgnoreCase(prefix)) return true;
        }
        return false;
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
                // a line of blanks alone still continues the field (RFC 5322 section 4.2, obs-FWS), as headerLength and
                // mail readers take it: what follows it is this field's too, and every check must see it
                if (!continuation.isEmpty()) v.append(' ').append(continuation);
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

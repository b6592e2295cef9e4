package sluice.imap;

import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.dom.field.ParsedField;
import org.apache.james.mime4j.field.DefaultFieldParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One MIME entity of a stored message, located by byte offsets into the raw message, so that
 * BODY[section] returns exactly the stored octets and BODYSTRUCTURE reports exact sizes (RFC 9051
 * section 6.4.5). Header fields are parsed by Mime4j; the multipart split is done here on bytes,
 * because Mime4j's DOM decodes bodies and would lose the offsets. Malformed structure degrades to
 * a single part, never an exception.
 * <p>
 * The sender chose the message's shape, and it is parsed again on every FETCH and SEARCH that
 * needs it: the tree stops at {@link #MAX_PARTS} entities and {@link #MAX_DEPTH} levels and lists
 * at most {@link #MAX_FIELDS} header fields. What lies beyond is opaque data: an entity that would
 * need another level or part is shown as application/octet-stream, a field past the cap is not listed.
 *
 * @param headerStart offset of the first header line
 * @param bodyStart   offset after the blank line ending the header (== end when there is none)
 */
record MimePart(byte[] raw, int headerStart, int bodyStart, int end, List<Header> headers,
                String type, String subtype, Map<String, String> params, List<MimePart> children, MimePart message) {

    record Header(String name, String value, int start, int end) {
    }

    /** Levels of multipart and message/rfc822 nesting below the message. */
    static final int MAX_DEPTH = 20;
    /** Entities in one message, the message itself included: the rules engine walks as many. */
    static final int MAX_PARTS = 1_000;
    /** Header fields read for one message, all its entities together; real messages have tens to hundreds. */
    static final int MAX_FIELDS = 10_000;

    /** What is left of one message's caps while its tree is built; entities are counted in document order. */
    private static final class Budget {
        int parts;
        int fields = MAX_FIELDS;

        Budget(int parts) {
            this.parts = parts;
        }
    }

    /** The whole MIME tree, for BODY, BODYSTRUCTURE and numbered sections. */
    static MimePart parse(byte[] raw) {
        return parse(raw, 0, raw.length, false, 0, new Budget(MAX_PARTS));
    }

    /**
     * The message's own header fields and body bounds, its structure left opaque (as if the part cap
     * were one): enough for ENVELOPE, HEADER, TEXT and SEARCH, without reading the body.
     */
    static MimePart parseHeader(byte[] raw) {
        return parse(raw, 0, raw.length, false, 0, new Budget(1));
    }

    private static MimePart parse(byte[] raw, int start, int end, boolean digest, int depth, Budget budget) {
        budget.parts--;
        List<Header> headers = new ArrayList<>();
        int bodyStart = headers(raw, start, end, headers, budget);
        String type = digest ? "message" : "text", subtype = digest ? "rfc822" : "plain";
        Map<String, String> params = new LinkedHashMap<>();
        String ct = value(headers, "Content-Type");
        if (ct != null && parsed("Content-Type", ct) instanceof ContentTypeField f && f.getMediaType() != null
                && f.getSubType() != null && !f.getMediaType().isEmpty()) {
            type = f.getMediaType().toLowerCase(Locale.ROOT);
            subtype = f.getSubType().toLowerCase(Locale.ROOT);
            f.getParameters().forEach((k, v) -> params.put(k.toLowerCase(Locale.ROOT), v));
        }
        if (type.equals("text") && !params.containsKey("charset")) params.put("charset", "us-ascii");
        List<MimePart> children = List.of();
        MimePart message = null;
        boolean deeper = depth < MAX_DEPTH && budget.parts > 0;
        boolean rfc822 = type.equals("message") && subtype.equals("rfc822");
        if (deeper && type.equals("multipart") && params.get("boundary") != null) {
            children = split(raw, bodyStart, end, params.get("boundary"), subtype.equals("digest"), depth, budget);
        } else if (deeper && rfc822) {
            message = parse(raw, bodyStart, end, false, depth + 1, budget);
        }
        // No usable parts, or past the caps: opaque data. A message/rfc822 entry without the encapsulated
        // envelope, body and lines is malformed BODYSTRUCTURE (RFC 9051 section 7.5.2), which clients reject.
        if ((type.equals("multipart") && children.isEmpty()) || (rfc822 && message == null)) {
            type = "application";
            subtype = "octet-stream";
        }
        return new MimePart(raw, start, bodyStart, end, List.copyOf(headers), type, subtype, params, children, message);
    }

    static ParsedField parsed(String name, String value) {
        try {
            return DefaultFieldParser.parse(name + ": " + value);
        } catch (org.apache.james.mime4j.MimeException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads the header block into {@code out}; returns the offset where the body starts. The header
     * ends at the blank line or, as for the malware scanner (Mime4j with malformed headers starting
     * the body), at the first field that is not a field: without a colon, or with a name that is not
     * printable ASCII without spaces. That line and what follows are body, so a Content-Type after
     * such a line names nothing here either.
     */
    private static int headers(byte[] raw, int start, int end, List<Header> out, Budget budget) {
        int pos = start;
        while (pos < end) {
            int eol = lineEnd(raw, pos, end);
            if (eol == pos || (eol == pos + 1 && raw[pos] == '\r')) return Math.min(end, eol + 1); // blank line
            int fieldEnd = eol;
            while (fieldEnd + 1 < end && (raw[fieldEnd + 1] == ' ' || raw[fieldEnd + 1] == '\t')) fieldEnd = lineEnd(raw, fieldEnd + 1, end);
            int colon = colon(raw, pos, Math.min(fieldEnd, end));
            if (colon < 0) return pos;
            // Past the cap the header is still read to its end, but nothing is kept.
            if (budget.fields-- > 0 && colon > pos) {
                String name = new String(raw, pos, colon - pos, StandardCharsets.US_ASCII).strip();
                String value = new String(raw, colon + 1, Math.min(fieldEnd + 1, end) - colon - 1, StandardCharsets.UTF_8)
                        .replaceAll("\r?\n", "").strip();
                if (!name.isEmpty()) out.add(new Header(name, value, pos, Math.min(fieldEnd + 1, end)));
            }
            pos = fieldEnd + 1;
        }
        return end;
    }

    /**
     * Offset of the colon ending the field name of the field from {@code pos} to {@code end}, or -1
     * when it is not a field by Mime4j's rule: a name of printing ASCII (RFC 5322 section 2.2), with
     * white space allowed only around it, then a colon.
     */
    private static int colon(byte[] raw, int pos, int end) {
        int i = pos;
        while (i < end && whitespace(raw[i])) i++;
        while (i < end && raw[i] > ' ' && raw[i] < 0x7f && raw[i] != ':') i++;
        while (i < end && whitespace(raw[i])) i++;
        return i < end && raw[i] == ':' ? i : -1;
    }

    private static boolean whitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** Offset of the LF ending the line at {@code pos}, or {@code end} when the line is unterminated. */
    private static int lineEnd(byte[] raw, int pos, int end) {
        for (int i = pos; i < end; i++) if (raw[i] == '\n') return i;
        return end;
    }

    /**
     * The body parts between the delimiter lines of {@code boundary}, found by the malware scanner's
     * rule (Mime4j's), not by RFC 2046's grammar: a part the scanner never saw must not be served. A
     * line that starts with "--" boundary opens the next part when a space, tab, CR or the line end
     * follows, and closes the multipart when "--" follows or appears anywhere later on the line; any
     * other text after it makes the line content ("--ab" under boundary "a": composers often make a
     * nested boundary by extending the outer one, and a prefix match also turned a small message
     * into millions of parts). Once the part budget is spent, the rest of the body lists no parts,
     * like an epilogue.
     */
    private static List<MimePart> split(byte[] raw, int start, int end, String boundary, boolean digest, int depth, Budget budget) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<MimePart> parts = new ArrayList<>();
        int partStart = -1;
        int pos = start;
        while (pos < end) {
            int eol = lineEnd(raw, pos, end);
            Delimiter d = delimiter(raw, pos, eol, delimiter);
            if (d != Delimiter.NONE) {
                if (partStart >= 0) {
                    if (budget.parts <= 0) return parts;
                    int partEnd = pos; // the CRLF before a delimiter belongs to the delimiter
                    if (partEnd > partStart && raw[partEnd - 1] == '\n') partEnd--;
                    if (partEnd > partStart && raw[partEnd - 1] == '\r') partEnd--;
                    parts.add(parse(raw, partStart, Math.max(partStart, partEnd), digest, depth + 1, budget));
                }
                if (d == Delimiter.CLOSE) return parts;
                partStart = Math.min(end, eol + 1);
            }
            pos = eol + 1;
        }
        if (partStart >= 0 && partStart < end && budget.parts > 0) parts.add(parse(raw, partStart, end, digest, depth + 1, budget));
        return parts;
    }

    private enum Delimiter { NONE, NEXT, CLOSE }

    /** Whether the line from {@code pos} to {@code eol} (its LF, or the end) is a delimiter line of {@code dashBoundary}. */
    private static Delimiter delimiter(byte[] raw, int pos, int eol, byte[] dashBoundary) {
        if (eol - pos < dashBoundary.length) return Delimiter.NONE;
        for (int i = 0; i < dashBoundary.length; i++) if (raw[pos + i] != dashBoundary[i]) return Delimiter.NONE;
        int rest = pos + dashBoundary.length;
        if (rest == eol) return Delimiter.NEXT;
        byte next = raw[rest];
        boolean dashes = next == '-' && rest + 1 < eol && raw[rest + 1] == '-';
        if (!dashes && next != ' ' && next != '\t' && next != '\r') return Delimiter.NONE;
        // Mime4j skips the rest of a delimiter line looking for "--", so "--a x--" closes too.
        for (int i = rest; i + 1 < eol; i++) if (raw[i] == '-' && raw[i + 1] == '-') return Delimiter.CLOSE;
        return Delimiter.NEXT;
    }

    static String value(List<Header> headers, String name) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    String header(String name) {
        return value(headers, name);
    }

    boolean multipart() {
        return !children.isEmpty();
    }

    int bodySize() {
        return end - bodyStart;
    }

    /** Lines of the body, as BODYSTRUCTURE counts them for text and message/rfc822 parts. */
    int bodyLines() {
        int lines = 0;
        for (int i = bodyStart; i < end; i++) if (raw[i] == '\n') lines++;
        if (end > bodyStart && raw[end - 1] != '\n') lines++;
        return lines;
    }

    String disposition() {
        String d = header("Content-Disposition");
        return d != null && parsed("Content-Disposition", d) instanceof ContentDispositionField f ? f.getDispositionType() : null;
    }

    Map<String, String> dispositionParams() {
        String d = header("Content-Disposition");
        if (d != null && parsed("Content-Disposition", d) instanceof ContentDispositionField f) return f.getParameters();
        return Map.of();
    }

    /**
     * The part a section number path names (RFC 9051 section 6.4.5): within a message, part 1 of a
     * non-multipart body is the body itself; within a message/rfc822 part, numbers address the
     * encapsulated message's parts. Null when there is no such part.
     */
    MimePart part(int[] path) {
        MimePart current = this;
        for (int n : path) {
            MimePart container = current.message != null && current != this ? current.message : current;
            if (container.multipart()) {
                if (n < 1 || n > container.children.size()) return null;
                current = container.children.get(n - 1);
            } else if (n == 1) {
                current = container;
            } else {
                return null;
            }
        }
        return current;
    }
}

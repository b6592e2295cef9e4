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
 *
 * @param headerStart offset of the first header line
 * @param bodyStart   offset after the blank line ending the header (== end when there is none)
 */
record MimePart(byte[] raw, int headerStart, int bodyStart, int end, List<Header> headers,
                String type, String subtype, Map<String, String> params, List<MimePart> children, MimePart message) {

    record Header(String name, String value, int start, int end) {
    }

    private static final int MAX_DEPTH = 20;

    static MimePart parse(byte[] raw) {
        return parse(raw, 0, raw.length, false, 0);
    }

    private static MimePart parse(byte[] raw, int start, int end, boolean digest, int depth) {
        List<Header> headers = new ArrayList<>();
        int bodyStart = headers(raw, start, end, headers);
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
        if (depth < MAX_DEPTH && type.equals("multipart") && params.get("boundary") != null) {
            children = split(raw, bodyStart, end, params.get("boundary"), subtype.equals("digest"), depth);
        } else if (depth < MAX_DEPTH && type.equals("message") && subtype.equals("rfc822")) {
            message = parse(raw, bodyStart, end, false, depth + 1);
        }
        if (type.equals("multipart") && children.isEmpty()) { // no usable boundary: show it as opaque data
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

    /** Reads the header block into {@code out}; returns the offset where the body starts. */
    private static int headers(byte[] raw, int start, int end, List<Header> out) {
        int pos = start;
        while (pos < end) {
            int eol = lineEnd(raw, pos, end);
            if (eol == pos || (eol == pos + 1 && raw[pos] == '\r')) return Math.min(end, eol + 1); // blank line
            int fieldEnd = eol;
            while (fieldEnd + 1 < end && (raw[fieldEnd + 1] == ' ' || raw[fieldEnd + 1] == '\t')) fieldEnd = lineEnd(raw, fieldEnd + 1, end);
            String field = new String(raw, pos, Math.min(fieldEnd + 1, end) - pos, StandardCharsets.UTF_8);
            int colon = field.indexOf(':');
            if (colon > 0) {
                String value = field.substring(colon + 1).replaceAll("\r?\n", "").strip();
                out.add(new Header(field.substring(0, colon).strip(), value, pos, Math.min(fieldEnd + 1, end)));
            }
            pos = fieldEnd + 1;
        }
        return end;
    }

    /** Offset of the LF ending the line at {@code pos}, or {@code end} when the line is unterminated. */
    private static int lineEnd(byte[] raw, int pos, int end) {
        for (int i = pos; i < end; i++) if (raw[i] == '\n') return i;
        return end;
    }

    private static List<MimePart> split(byte[] raw, int start, int end, String boundary, boolean digest, int depth) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<MimePart> parts = new ArrayList<>();
        int partStart = -1;
        int pos = start;
        while (pos < end) {
            int eol = lineEnd(raw, pos, end);
            if (startsWith(raw, pos, eol, delimiter)) {
                boolean close = startsWith(raw, pos + delimiter.length, eol, new byte[]{'-', '-'});
                if (partStart >= 0) {
                    int partEnd = pos; // the CRLF before a delimiter belongs to the delimiter
                    if (partEnd > partStart && raw[partEnd - 1] == '\n') partEnd--;
                    if (partEnd > partStart && raw[partEnd - 1] == '\r') partEnd--;
                    parts.add(parse(raw, partStart, Math.max(partStart, partEnd), digest, depth + 1));
                }
                if (close) return parts;
                partStart = Math.min(end, eol + 1);
            }
            pos = eol + 1;
        }
        if (partStart >= 0 && partStart < end) parts.add(parse(raw, partStart, end, digest, depth + 1));
        return parts;
    }

    private static boolean startsWith(byte[] raw, int pos, int limit, byte[] prefix) {
        if (limit - pos < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (raw[pos + i] != prefix[i]) return false;
        return true;
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

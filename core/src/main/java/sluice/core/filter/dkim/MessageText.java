package sluice.core.filter.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A message split into its header fields (as raw text, folding kept, CRLF removed from the end) and
 * its body octets. Text is ISO-8859-1 so every octet maps to one char and back: hashing sees the
 * octets that arrived, whatever their charset.
 *
 * @param byName the fields by lower-case name, each list in message order: built once, so looking up
 *               the names of a hostile h= costs one map look-up each, not a scan of every field
 */
record MessageText(List<Field> fields, byte[] body, Map<String, List<Field>> byName) {

    MessageText(List<Field> fields, byte[] body) {
        this(List.copyOf(fields), body, index(fields));
    }

    /** One header field: its name as written and the whole raw field "Name: value\r\n\tmore". */
    record Field(String name, String raw) {
        boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }

        /** The text after the colon, unfolded is left to the caller. */
        String value() {
            return raw.substring(raw.indexOf(':') + 1);
        }
    }

    /**
     * Parses {@code content}. Bare LF line ends are read as CRLF (messages handed over from Unix
     * tools), which is what the sender's CRLF-canonical form was.
     */
    static MessageText parse(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.indexOf('\n') >= 0 && hasBareLf(text)) text = text.replace("\r\n", "\n").replace("\n", "\r\n");
        List<Field> fields = new ArrayList<>();
        int pos = 0;
        StringBuilder current = null;
        while (pos < text.length()) {
            int eol = text.indexOf("\r\n", pos);
            String line = eol < 0 ? text.substring(pos) : text.substring(pos, eol);
            int next = eol < 0 ? text.length() : eol + 2;
            if (line.isEmpty()) {
                pos = next;
                break; // the empty line ends the header
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) fields.add(field(current.toString()));
                current = new StringBuilder(line);
            }
            pos = next;
        }
        if (current != null) fields.add(field(current.toString()));
        byte[] body = text.substring(Math.min(pos, text.length())).getBytes(StandardCharsets.ISO_8859_1);
        return new MessageText(fields, body);
    }

    private static Field field(String raw) {
        int colon = raw.indexOf(':');
        String name = colon < 0 ? raw : raw.substring(0, colon);
        return new Field(name.strip(), raw);
    }

    private static boolean hasBareLf(String text) {
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n' && (i == 0 || text.charAt(i - 1) != '\r')) return true;
        return false;
    }

    private static Map<String, List<Field>> index(List<Field> fields) {
        Map<String, List<Field>> byName = new HashMap<>();
        for (Field f : fields) byName.computeIfAbsent(f.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(f);
        byName.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(byName);
    }

    /** Fields named {@code name}, in message order. */
    List<Field> all(String name) {
        return byName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}

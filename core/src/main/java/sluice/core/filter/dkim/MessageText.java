package sluice.core.filter.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A message split into its header fields (as raw text, folding kept, CRLF removed from the end) and
 * its body octets. Text is ISO-8859-1 so every octet maps to one char and back: hashing sees the
 * octets that arrived, whatever their charset.
 */
record MessageText(List<Field> fields, byte[] body) {

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
        return new MessageText(List.copyOf(fields), body);
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

    /** Fields named {@code name}, in message order. */
    List<Field> all(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return fields.stream().filter(f -> f.is(n)).toList();
    }
}

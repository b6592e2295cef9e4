package sluice.core.mail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    /** The unfolded value of the first field named {@code name}, or null. */
    public static String first(byte[] content, String name) {
        List<String> all = all(content, name, 1);
        return all.isEmpty() ? null : all.getFirst();
    }

    /** Unfolded values of the fields named {@code name}, in order, at most {@code max}. */
    public static List<String> all(byte[] content, String name, int max) {
        String block = new String(content, 0, headerLength(content), StandardCharsets.ISO_8859_1);
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        List<String> out = new ArrayList<>();
        String[] lines = block.split("\r\n|\n");
        for (int i = 0; i < lines.length && out.size() < max; i++) {
            if (!lines[i].toLowerCase(Locale.ROOT).startsWith(wanted)) continue;
            StringBuilder v = new StringBuilder(lines[i].substring(wanted.length()));
            while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                    && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                v.append(' ').append(lines[++i].strip());
            }
            out.add(new String(v.toString().strip().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
        return out;
    }
}

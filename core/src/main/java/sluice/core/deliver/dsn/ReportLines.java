package sluice.core.deliver.dsn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every line of a report within RFC 5322's 998 octets (section 2.1.1). A cause gathered over many
 * hosts, or a long multi-line reply, easily runs past 998 on one line; our own receiver refuses such a
 * message (554 5.6.0), and as a report comes from the null sender, its refusal goes to nobody: the
 * sender would never hear of the failure. A text that fits stays on one line, as readers and tools
 * searching reports expect; one that does not is broken into lines of about 78 characters.
 */
final class ReportLines {

    /** RFC 5322 section 2.1.1: lines MUST stay within 998 octets, without the CRLF... */
    static final int MAX_LINE = 998;
    /** ...and SHOULD within 78 characters: the width a text is broken to once it must be. */
    static final int WIDTH = 78;
    /**
     * A word longer than this is cut: at 4 UTF-8 octets a character at most, a cut word and any indent we use
     * stay well below 998 octets.
     */
    static final int MAX_WORD = 200;
    /** A Diagnostic-Code longer than this says nothing more useful; it is cut there (RFC 3464 sets no limit). */
    static final int MAX_DIAGNOSTIC = 1000;

    private ReportLines() {}

    /**
     * {@code text} for the human-readable part: on one line when it fits; else each clause (they are joined with
     * "; ", one for each host tried) on a line of its own, wrapped at {@link #WIDTH}, continuation lines indented
     * two more.
     */
    static void paragraph(StringBuilder m, String indent, String text) {
        String t = text.replaceAll("[\\r\\n]+", " ");
        if (fits(indent + t)) {
            m.append(indent).append(t).append("\r\n");
            return;
        }
        boolean first = true;
        for (String clause : t.split("; ")) {
            if (clause.isBlank()) continue;
            List<String> lines = wrap(clause.strip(), WIDTH - indent.length() - 2);
            for (String line : lines) {
                m.append(indent).append(first ? "" : "  ").append(line).append("\r\n");
                first = false;
            }
        }
    }

    /**
     * A status-part field on one line when it fits; else folded at spaces (RFC 5322 section 2.2.3: a fold is a
     * CRLF put before a space, so the unfolded value is unchanged) with {@code value} cut at
     * {@link #MAX_DIAGNOSTIC} characters.
     */
    static void field(StringBuilder m, String name, String value) {
        String v = value.replaceAll("[\\r\\n]+", " ");
        if (fits(name + ": " + v)) {
            m.append(name).append(": ").append(v).append("\r\n");
            return;
        }
        if (v.length() > MAX_DIAGNOSTIC) v = v.substring(0, cutAt(v, MAX_DIAGNOSTIC)) + "...";
        List<String> lines = wrap(name + ": " + v, WIDTH - 1);
        m.append(lines.getFirst()).append("\r\n");
        for (String line : lines.subList(1, lines.size())) m.append(' ').append(line).append("\r\n");
    }

    private static boolean fits(String line) {
        return line.length() <= MAX_LINE / 4 || line.getBytes(StandardCharsets.UTF_8).length <= MAX_LINE;
    }

    /** Words of {@code text} in lines of at most {@code width} characters, words longer than {@link #MAX_WORD} cut. */
    private static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : words(text)) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty() || out.isEmpty()) out.add(line.toString());
        return out;
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.split(" +")) {
            if (w.isEmpty()) continue;
            for (int i = 0; i < w.length(); ) {
                int end = cutAt(w, Math.min(w.length(), i + MAX_WORD));
                if (end <= i) end = Math.min(w.length(), i + 2); // a pair at the very start of a piece stays whole
                out.add(w.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    /** {@code end}, or one less when it would split a surrogate pair (half a character would become '?'). */
    private static int cutAt(String s, int end) {
        return end > 0 && end < s.length() && Character.isHighSurrogate(s.charAt(end - 1)) ? end - 1 : end;
    }
}

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
     * A word of the human-readable part longer than this is cut: at 4 UTF-8 octets a character at most, a cut word and any indent we use
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
        String t = printable(text);
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
     * A status-part field: on one line when it fits, else folded (RFC 5322 section 2.2.3) so that unfolding it,
     * removing each CRLF that comes before a space or tab, gives back {@code value} exactly. A fold is put only
     * before whitespace the value already has, and every space and tab is kept: a line ends before a word that
     * would take it past {@link #WIDTH} characters, and the whitespace before that word begins the next line. No
     * line is longer than {@link #MAX_LINE} octets, nor made of whitespace only.
     *
     * <p>Two values cannot be given back whole. One longer than {@link #MAX_DIAGNOSTIC} characters is cut there,
     * and a word (with the whitespace before it) too long for a line of its own has no whitespace to fold it at:
     * the value ends with as much of it as fits. Either way the value ends with {@link #CUT}, so the unfolded
     * field is always the value or a prefix of it followed by "...". CR and LF, which a field cannot carry, are
     * written as a space (a reply's lines are joined with spaces already), other controls as {@link #printable} says.
     */
    static void field(StringBuilder m, String name, String value) {
        String v = printable(value);
        if (fits(name + ": " + v)) {
            m.append(name).append(": ").append(v).append("\r\n");
            return;
        }
        if (v.length() > MAX_DIAGNOSTIC) v = v.substring(0, cutAt(v, MAX_DIAGNOSTIC)) + CUT;
        StringBuilder line = new StringBuilder();
        int octets = 0;
        for (String segment : segments(name + ": " + v)) {
            int size = segment.getBytes(StandardCharsets.UTF_8).length;
            // a fold may go before the segment's whitespace, unless all it has is whitespace (the line would be blank)
            boolean mayFold = !line.isEmpty() && isWhitespace(segment.charAt(0)) && !isWhitespace(segment.charAt(segment.length() - 1));
            if (mayFold && (line.length() + segment.length() > WIDTH || octets + size > MAX_LINE)) {
                m.append(line).append("\r\n");
                line.setLength(0);
                octets = 0;
            }
            if (octets + size > MAX_LINE) { // too long even for a line of its own: the value ends here
                // as much as fits with the CUT, taken back into the line when even the CUT does not fit (trailing
                // whitespace is no fold point, so the line may be full already)
                String kept = prefix(line.append(segment).toString(), MAX_LINE - CUT.length());
                line.setLength(0);
                line.append(kept).append(CUT);
                break;
            }
            line.append(segment);
            octets += size;
        }
        m.append(line).append("\r\n");
    }

    /**
     * {@code text} with CR and LF (runs of them) as a space, and every other control but TAB (C0, DEL and C1, whose
     * U+009B is a terminal's CSI) as '?': a server's reply may hold a NUL or an escape sequence, which a report must
     * not pass on to its reader's terminal or to tools reading it.
     */
    static String printable(String text) {
        return text.replaceAll("[\\r\\n]+", " ").replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]", "?");
    }

    /** What marks a value cut short. */
    static final String CUT = "...";

    /** {@code text} as runs of whitespace each with the word after it (the first without whitespace before it). */
    private static List<String> segments(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && isWhitespace(text.charAt(i))) i++;
            while (i < text.length() && !isWhitespace(text.charAt(i))) i++;
            out.add(text.substring(start, i));
            start = i;
        }
        return out;
    }

    /** RFC 5322 WSP: a fold may go before these only. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** The longest start of {@code s} of at most {@code maxOctets} octets in UTF-8 that splits no character. */
    private static String prefix(String s, int maxOctets) {
        int octets = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (octets + size > maxOctets) break;
            octets += size;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
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

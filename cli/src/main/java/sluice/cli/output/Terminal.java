package sluice.cli.output;

/**
 * Makes text safe to print on an administrator's terminal. Most of what the CLI prints comes from
 * people it should not trust: mail subjects, senders and bodies (trace, quarantine), remote servers'
 * SMTP replies (queue, trace, connector validate) and names tenants choose. A control character in
 * them is an instruction to the terminal (ESC ]52 writes the clipboard, CSI moves the cursor, OSC 8
 * hides a link), and a bidi override or an invisible format character makes text read other than it
 * is. Each such character is shown as a visible escape instead ({@code \x1b}, {@code \u202e}), so the
 * admin sees that it was there. A literal backslash is left as it is: the escape only has to be
 * harmless and visible, not reversible ({@code -o json} is the exact form).
 */
public final class Terminal {

    private static final char ZWNJ = '\u200c';
    private static final char ZWJ = '\u200d';
    private static final char LRM = '\u200e';
    private static final char RLM = '\u200f';
    /** WAVING BLACK FLAG: the base of the subdivision flags (England, Scotland, Wales), spelled with tag characters. */
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int CANCEL_TAG = 0xE007F;

    private Terminal() {
    }

    /** One line: every control is escaped, line breaks and tabs too (a value must not fake a line of its own). */
    public static String line(String text) {
        return escape(text, false);
    }

    /**
     * A multi-line text (a message body): newlines and tabs are kept, CR LF reads as a newline, and
     * a lone CR is escaped (it would return to the line's start and overwrite what was shown).
     */
    public static String lines(String text) {
        return escape(text == null ? null : text.replace("\r\n", "\n"), true);
    }

    /**
     * Whether the terminal could act on {@code cp} or hide it: C0 and C1 controls and DEL (category
     * Cc), format characters (Cf: bidi embeddings, overrides and isolates, marks, zero-width spaces,
     * tag characters), line and paragraph separators, and unpaired surrogates. The zero-width
     * (non-)joiners are Cf but kept: emoji sequences and Persian and Indic text need them; so are the
     * left-to-right and right-to-left marks, which Arabic and Hebrew names carry and which, unlike the
     * embeddings, overrides and isolates, only act as a strong letter would (they cannot reverse a run).
     */
    public static boolean unsafe(int cp) {
        if (cp == ZWNJ || cp == ZWJ || cp == LRM || cp == RLM) return false;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }

    private static String escape(String text, boolean multiLine) {
        if (text == null) return "";
        if (text.codePoints().noneMatch(Terminal::unsafe)) return text;
        StringBuilder b = new StringBuilder(text.length() + 16);
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            if (!unsafe(cp) || multiLine && (cp == '\n' || cp == '\t')) {
                b.appendCodePoint(cp);
                if (cp == BLACK_FLAG) i = flagTags(cps, i + 1, b) - 1;
            } else {
                b.append(visible(cp));
            }
        }
        return b.toString();
    }

    /**
     * A subdivision flag (Unicode TS #51 emoji tag sequence): after U+1F3F4, tag digits and small letters ended
     * by CANCEL TAG. Such a run is kept whole, so the flag shows; any other tag character stays escaped.
     *
     * @return the index after the kept run ({@code from} when there is none)
     */
    private static int flagTags(int[] cps, int from, StringBuilder b) {
        int end = from;
        while (end < cps.length && (cps[end] >= 0xE0030 && cps[end] <= 0xE0039 || cps[end] >= 0xE0061 && cps[end] <= 0xE007A)) end++;
        if (end == from || end >= cps.length || cps[end] != CANCEL_TAG) return from;
        for (int i = from; i <= end; i++) b.appendCodePoint(cps[i]);
        return end + 1;
    }

    /** {@code \x1b} for the first 256 code points, {@code \u202e} for the rest of the BMP, {@code \U000e0041} beyond. */
    private static String visible(int cp) {
        if (cp < 0x100) return String.format("\\x%02x", cp);
        if (cp < 0x10000) return String.format("\\u%04x", cp);
        return String.format("\\U%08x", cp);
    }
}

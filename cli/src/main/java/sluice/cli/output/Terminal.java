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
     * (non-)joiners are Cf but kept: emoji sequences and Persian and Indic text need them.
     */
    public static boolean unsafe(int cp) {
        if (cp == ZWNJ || cp == ZWJ) return false;
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
        text.codePoints().forEach(cp -> {
            if (!unsafe(cp) || multiLine && (cp == '\n' || cp == '\t')) b.appendCodePoint(cp);
            else b.append(visible(cp));
        });
        return b.toString();
    }

    /** {@code \x1b} for the first 256 code points, {@code \u202e} for the rest of the BMP, {@code \U000e0041} beyond. */
    private static String visible(int cp) {
        if (cp < 0x100) return String.format("\\x%02x", cp);
        if (cp < 0x10000) return String.format("\\u%04x", cp);
        return String.format("\\U%08x", cp);
    }
}

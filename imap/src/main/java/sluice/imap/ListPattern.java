package sluice.imap;

/**
 * A LIST mailbox pattern (RFC 3501 section 6.3.8): {@code *} matches anything, {@code %} anything
 * but the hierarchy delimiter. Matched without regular expressions, in time proportional to the
 * name's length times the pattern's: a regex built from a client's pattern ({@code *%*%*%…})
 * backtracks exponentially on a name that does not match, and one command would hold a CPU.
 * Runs of wildcards are folded first ({@code *%*} is {@code *}, {@code %%} is {@code %}), so a
 * pattern is never longer than its literal text plus one wildcard between each two characters.
 */
final class ListPattern {

    /** Longer patterns (after folding) are refused: no folder name is anywhere near this long. */
    static final int MAX_LENGTH = 1024;
    /** Patterns per LIST/LSUB command ({@code LIST "" (a b c)}). */
    static final int MAX_PATTERNS = 32;

    private final char[] pattern;
    private final char delimiter;

    private ListPattern(char[] pattern, char delimiter) {
        this.pattern = pattern;
        this.delimiter = delimiter;
    }

    /** {@code text} as a pattern; IllegalArgumentException when it is longer than {@link #MAX_LENGTH} once folded. */
    static ListPattern of(String text, char delimiter) {
        StringBuilder folded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '*' && c != '%') {
                folded.append(c);
                continue;
            }
            int end = i;
            boolean star = false;
            while (end < text.length() && (text.charAt(end) == '*' || text.charAt(end) == '%')) star |= text.charAt(end++) == '*';
            folded.append(star ? '*' : '%');
            i = end - 1;
        }
        if (folded.length() > MAX_LENGTH) throw new IllegalArgumentException("pattern longer than " + MAX_LENGTH + " characters");
        return new ListPattern(folded.toString().toCharArray(), delimiter);
    }

    /** True when the whole of {@code name} matches; {@code ignoreCase} for INBOX (RFC 3501 section 5.1). */
    boolean matches(String name, boolean ignoreCase) {
        int m = pattern.length;
        // row[j]: the name's first i characters match the pattern's first j
        boolean[] row = new boolean[m + 1];
        boolean[] next = new boolean[m + 1];
        row[0] = true;
        for (int j = 1; j <= m; j++) row[j] = row[j - 1] && isWildcard(pattern[j - 1]);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            next[0] = false;
            for (int j = 1; j <= m; j++) {
                char p = pattern[j - 1];
                next[j] = switch (p) {
                    case '*' -> next[j - 1] || row[j];
                    case '%' -> next[j - 1] || (row[j] && c != delimiter);
                    default -> row[j - 1] && same(p, c, ignoreCase);
                };
            }
            boolean[] t = row;
            row = next;
            next = t;
        }
        return row[m];
    }

    private static boolean isWildcard(char c) {
        return c == '*' || c == '%';
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toUpperCase(a) == Character.toUpperCase(b);
    }
}

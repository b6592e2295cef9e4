package sluice.core.filter.spam;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the host names in free text (a Received field) in one pass. The result is exactly what
 * {@code Pattern.compile("(?i)\\b[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)+\\b")} finds with repeated
 * {@code find()}, which the shipped spam model was trained with: changing a single token would change
 * the model. That pattern backtracks through every suffix of a long run of labels (a field of "a-a-a…"
 * took a second) and recurses once per label (a few thousand overflowed the stack).
 *
 * <p>Why one pass finds the same: from a start, the pattern's first label runs to the end of the label
 * characters ({@code [a-z0-9-]}, ASCII only: (?i) without UNICODE_CASE); it then needs a '.' and goes on
 * over labels joined by single dots (the chain). Greedy backtracking tries every end inside the second
 * and later labels of the chain from the last one down, so the match ends at the last of them that is a
 * word boundary. That end depends only on the chain, not on where in the first label the match
 * started, so it is computed once per chain; and the start is the first position of the first label
 * that can begin a match (an ASCII letter or digit at a boundary). Word boundaries are decided as
 * {@code \b} decides them (ASCII word characters, and non-spacing marks that follow a letter or digit).
 */
final class HostNames {

    private HostNames() {
    }

    static List<String> in(String text) {
        var found = new ArrayList<String>();
        int n = text.length();
        // the last chain looked at: where it ends, and where a match into it ends (-1: none can)
        int chainEnd = -1;
        int lastEnd = -1;
        int p = 0;
        while (p < n) {
            if (!isLabel(text.charAt(p))) {
                p++;
                continue;
            }
            int labelEnd = p;
            while (labelEnd < n && isLabel(text.charAt(labelEnd))) labelEnd++;
            int start = p;
            while (start < labelEnd && !(isAsciiLetterOrDigit(text.charAt(start)) && isBoundary(text, start))) start++;
            if (start == labelEnd) {
                p = labelEnd;
                continue;
            }
            if (labelEnd >= chainEnd) {
                chainEnd = chainAfter(text, labelEnd);
                lastEnd = lastBoundary(text, labelEnd, chainEnd);
            }
            if (lastEnd <= labelEnd) {
                p = labelEnd;
                continue;
            }
            found.add(text.substring(start, lastEnd));
            p = lastEnd;
        }
        return found;
    }

    /** Where the labels joined by single dots after {@code from} end ({@code from} if none follows). */
    private static int chainAfter(String text, int from) {
        int n = text.length();
        int end = from;
        while (end + 1 < n && text.charAt(end) == '.' && isLabel(text.charAt(end + 1))) {
            end++;
            while (end < n && isLabel(text.charAt(end))) end++;
        }
        return end;
    }

    /**
     * The last word boundary in the chain {@code (from, to]} that ends a match: after at least one
     * character of a label ({@code from} is the dot before the chain's first label), or -1.
     */
    private static int lastBoundary(String text, int from, int to) {
        for (int e = to; e > from + 1; e--) {
            if (text.charAt(e - 1) != '.' && isBoundary(text, e)) return e;
        }
        return -1;
    }

    /** {@code \b} at {@code i}, as java.util.regex decides it without UNICODE_CHARACTER_CLASS, over the whole text. */
    static boolean isBoundary(CharSequence s, int i) {
        boolean left = i > 0 && isWordLike(s, Character.codePointBefore(s, i), i - 1);
        boolean right = i < s.length() && isWordLike(s, Character.codePointAt(s, i), i);
        return left != right;
    }

    private static boolean isWordLike(CharSequence s, int codePoint, int at) {
        return codePoint < 128 && (codePoint == '_' || isAsciiLetterOrDigit((char) codePoint))
                || Character.getType(codePoint) == Character.NON_SPACING_MARK && hasBaseCharacter(s, at);
    }

    /** A run of non-spacing marks counts as word characters when a letter or digit carries it. */
    private static boolean hasBaseCharacter(CharSequence s, int i) {
        for (int x = i; x >= 0; x--) {
            int c = Character.codePointAt(s, x);
            if (Character.isLetterOrDigit(c)) return true;
            if (Character.getType(c) != Character.NON_SPACING_MARK) return false;
        }
        return false;
    }

    private static boolean isLabel(char c) {
        return isAsciiLetterOrDigit(c) || c == '-';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}

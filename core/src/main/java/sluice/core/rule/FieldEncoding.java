package sluice.core.rule;

import sluice.core.mail.EncodedWords;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A header field a rule sets, written in ASCII as RFC 5322 requires: words with other characters become
 * RFC 2047 encoded words, the rest stays as it is, so what programs parse (an address) stays readable.
 * <ul>
 *   <li>A run of such words goes into one sequence of encoded words, the white space between them
 *       included: a decoder drops white space between two adjacent encoded words (RFC 2047 section 6.2),
 *       so "ñ  ñ" written as two would read "ññ".</li>
 *   <li>An {@code <...>} part of such a word (an address right after a name) stays unencoded: inside an
 *       encoded word it would no longer be an address. An encoded word is separated by a space from text
 *       next to it (section 5: it must be separated from adjacent text by white space).</li>
 *   <li>A line holding an encoded word is at most 76 characters (section 2): the field is folded
 *       (CRLF and the white space) before a word that would make it longer.</li>
 * </ul>
 */
final class FieldEncoding {

    private static final int MAX_LINE = 76;
    private static final Pattern ADDRESS = Pattern.compile("<[!-;=?-~]*>");

    private FieldEncoding() {
    }

    static String field(String name, String value) {
        if (plain(value)) return name + ": " + value;
        StringBuilder out = new StringBuilder(name).append(':');
        int line = out.length();
        boolean encodedOnLine = false;
        List<String> tokens = tokens(value);
        String space = " ";
        boolean lastEncoded = false;
        for (int i = 0; i < tokens.size(); ) {
            String t = tokens.get(i);
            if (blank(t)) {
                space = t;
                i++;
                continue;
            }
            boolean encoded = !plain(t);
            int end = i + 1;
            // the white space between words that are both encoded goes inside the encoded text
            while (encoded && end + 1 < tokens.size() && blank(tokens.get(end)) && !plain(tokens.get(end + 1))) end += 2;
            String text = String.join("", tokens.subList(i, end));
            i = end;
            if (space.isEmpty() && (encoded || lastEncoded)) space = " ";
            String written = encoded ? EncodedWords.encode(text, line + space.length()) : text;
            if (!space.isEmpty() && (encoded || encodedOnLine) && line + space.length() + firstLine(written) > MAX_LINE) {
                out.append("\r\n");
                line = 0;
                encodedOnLine = false;
                if (encoded) written = EncodedWords.encode(text, space.length());
            }
            out.append(space).append(written);
            int fold = written.lastIndexOf("\r\n");
            line = fold < 0 ? line + space.length() + written.length() : written.length() - fold - 2;
            encodedOnLine = encoded || (encodedOnLine && fold < 0);
            lastEncoded = encoded;
            space = "";
        }
        return out.toString();
    }

    /** Runs of white space (space, tab) and words between them, with the {@code <...>} parts of a non-ASCII word apart. */
    private static List<String> tokens(String value) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("[ \t]+|[^ \t]+").matcher(value);
        while (m.find()) {
            String t = m.group();
            if (blank(t) || plain(t)) {
                out.add(t);
                continue;
            }
            Matcher a = ADDRESS.matcher(t);
            int at = 0;
            while (a.find()) {
                if (a.start() > at) out.add(t.substring(at, a.start()));
                out.add(a.group());
                at = a.end();
            }
            if (at < t.length()) out.add(t.substring(at));
        }
        return out;
    }

    private static int firstLine(String s) {
        int fold = s.indexOf("\r\n");
        return fold < 0 ? s.length() : fold;
    }

    private static boolean blank(String s) {
        return s.chars().allMatch(c -> c == ' ' || c == '\t');
    }

    private static boolean plain(String s) {
        return s.chars().allMatch(c -> c == '\t' || (c >= 32 && c < 127));
    }
}

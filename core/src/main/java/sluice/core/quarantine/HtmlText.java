package sluice.core.quarantine;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML rendered as plain text for a preview: scripts, styles and comments dropped, block ends turned
 * into line breaks, every other tag removed, entities decoded, in time linear in the HTML. The result
 * is text to be shown as text; nothing of it is meant to be interpreted as markup.
 */
final class HtmlText {

    /** Elements whose content is never shown: dropped with it. */
    private static final List<String> INVISIBLE = List.of("script", "style", "head", "title");
    /** Tags that end a line of text. */
    private static final Set<String> BREAKS = Set.of("br", "/p", "/div", "/tr", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6",
            "/li", "li", "/table", "hr");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> NAMED = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'",
            "nbsp", " ", "copy", "©", "reg", "®", "hellip", "…", "mdash", "—");

    private HtmlText() {
    }

    /**
     * In one pass: every search for an end (a comment's, an element's, a tag's) starts where the last
     * one ended, and what has no end hides the rest, as in a browser. The patterns this replaces
     * retried the rest of the text from every unclosed {@code <!--}: seconds per preview of a held
     * message made of them.
     */
    static String toPlain(String html) {
        StringBuilder out = new StringBuilder(Math.min(html.length(), 1 << 16));
        int n = html.length();
        int i = 0;
        while (i < n) {
            char c = html.charAt(i);
            if (c != '<') {
                out.append(c);
                i++;
            } else if (html.startsWith("<!--", i)) {
                // "<!-->" and "<!--->" are whole (empty) comments in HTML5
                int end = html.startsWith(">", i + 4) ? i + 2 : html.startsWith("->", i + 4) ? i + 3 : html.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
                out.append(' ');
            } else if (i + 1 >= n || !startsTag(html.charAt(i + 1))) {
                out.append(c); // "< b" or "a < b": text in a browser
                i++;
            } else {
                int end = html.indexOf('>', i + 1);
                if (end < 0) break;
                String name = tagName(html, i + 1, end);
                if (INVISIBLE.contains(name)) {
                    i = closeOf(html, name, end + 1);
                    out.append(' ');
                } else {
                    i = end + 1;
                    if (BREAKS.contains(name)) out.append('\n');
                }
            }
        }
        String s = entities(out.toString());
        s = s.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" ?\n ?", "\n").replaceAll("\n{3,}", "\n\n");
        return s.strip();
    }

    /** The lower-case name of the tag between {@code from} and {@code end}, after any blanks: "br", "/p". */
    private static String tagName(String html, int from, int end) {
        int i = from;
        while (i < end && Character.isWhitespace(html.charAt(i))) i++;
        int start = i;
        if (i < end && html.charAt(i) == '/') i++;
        while (i < end && i - start < 16 && isAsciiLetterOrDigit(html.charAt(i))) i++;
        if (i < end && isAsciiLetterOrDigit(html.charAt(i))) return "";
        return html.substring(start, i).toLowerCase(Locale.ROOT);
    }

    /**
     * Just past the end tag of {@code name} at or after {@code from} ({@code </name >}); without one, a script,
     * style or title hides the rest, as in a browser, but a head ends where the body starts (browsers close it
     * there), or hides nothing.
     */
    private static int closeOf(String html, String name, int from) {
        String close = "</" + name;
        for (int i = from; i + close.length() <= html.length(); i++) {
            if (!html.regionMatches(true, i, close, 0, close.length())) continue;
            int j = i + close.length();
            while (j < html.length() && Character.isWhitespace(html.charAt(j))) j++;
            if (j < html.length() && html.charAt(j) == '>') return j + 1;
        }
        if (!name.equals("head")) return html.length();
        for (int i = from; i + 5 <= html.length(); i++) if (html.regionMatches(true, i, "<body", 0, 5)) return i;
        return from;
    }

    /** What may follow '<' for a browser to read a tag: a letter, or '/', '!' or '?'. */
    private static boolean startsTag(char c) {
        return c < 128 && Character.isLetter(c) || c == '/' || c == '!' || c == '?';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c < 128 && Character.isLetterOrDigit(c);
    }

    private static String entities(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String r;
            if (e.startsWith("#")) {
                int cp;
                try {
                    cp = e.startsWith("#x") || e.startsWith("#X") ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                } catch (NumberFormatException x) {
                    cp = 0xFFFD;
                }
                r = Character.isValidCodePoint(cp) && cp != 0 ? Character.toString(cp) : "\uFFFD";
            } else {
                r = NAMED.getOrDefault(e.toLowerCase(Locale.ROOT), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        return out.toString();
    }
}

package sluice.core.filter.spam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders HTML to text for tokenizing. Deliberately a forgiving scanner, not a DOM parser: spam
 * HTML is often broken, and all we need is the visible words, the links and a few counts, in time
 * linear in the input. Comments are removed without leaving a space because "Vi<!-- -->agra" is
 * read as one word by the recipient; script and style contents are dropped because the reader
 * never sees them. Mail flow rules read HTML parts through {@link #visibleText} for the same reasons.
 */
public final class HtmlText {

    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("nbsp", " "), Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"),
            Map.entry("quot", "\""), Map.entry("apos", "'"), Map.entry("copy", "©"), Map.entry("reg", "®"),
            Map.entry("trade", "™"), Map.entry("euro", "€"), Map.entry("pound", "£"), Map.entry("cent", "¢"),
            Map.entry("middot", "·"), Map.entry("bull", "•"), Map.entry("hellip", "…"), Map.entry("mdash", "—"),
            Map.entry("ndash", "–"), Map.entry("laquo", "«"), Map.entry("raquo", "»"), Map.entry("zwnj", "\u200C"),
            Map.entry("zwj", "\u200D"), Map.entry("shy", "\u00AD"));

    private HtmlText() {
    }

    /** What a reader sees of {@code html}: its text, without tags, comments, scripts and styles, entities decoded. */
    public static String visibleText(String html) {
        return render(html).text();
    }

    static HtmlRendering render(String html) {
        var out = new StringBuilder(html.length() / 2);
        var links = new ArrayList<Link>();
        var tags = new TreeSet<String>();
        int images = 0;
        int[] asciiEntities = {0};
        String openHref = null;
        int anchorStart = 0;
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '&') {
                i = appendEntity(html, i, out, asciiEntities);
                continue;
            }
            if (c != '<') {
                out.append(c);
                i++;
                continue;
            }
            if (html.startsWith("<!--", i)) {
                int end = html.indexOf("-->", i + 4);
                i = end < 0 ? n : end + 3;
                continue;
            }
            int end = html.indexOf('>', i + 1);
            if (end < 0) {
                out.append(html, i, n);
                break;
            }
            String tag = html.substring(i + 1, end);
            i = end + 1;
            String name = tagName(tag);
            if (name.isEmpty()) {
                continue;
            }
            if (tags.size() < 64) {
                tags.add(name);
            }
            switch (name) {
                case "script", "style", "title" -> i = skipElement(html, i, name);
                case "a" -> {
                    String href = attribute(tag, "href");
                    if (href != null) {
                        openHref = href;
                        anchorStart = out.length();
                    }
                }
                case "/a" -> {
                    if (openHref != null) {
                        links.add(new Link(openHref, out.substring(anchorStart).strip()));
                        openHref = null;
                    }
                }
                case "img" -> {
                    images++;
                    String src = attribute(tag, "src");
                    if (src != null) {
                        links.add(new Link(src, ""));
                    }
                }
                case "br", "p", "/p", "div", "/div", "tr", "/tr", "li", "td", "th", "h1", "h2", "h3", "h4", "/h1",
                     "/h2", "/h3", "/h4", "table", "/table", "hr", "blockquote" -> out.append('\n');
                default -> out.append(isInline(name) ? "" : " ");
            }
            if (links.size() > 500) {
                openHref = null;
            }
        }
        if (openHref != null) {
            links.add(new Link(openHref, out.substring(anchorStart).strip()));
        }
        return new HtmlRendering(out.toString(), List.copyOf(links), images, tags, asciiEntities[0]);
    }

    /** Inline formatting tags do not separate words: "<b>F</b>REE" reads as FREE. */
    private static boolean isInline(String name) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        return switch (bare) {
            case "b", "i", "u", "font", "span", "em", "strong", "small", "big", "sup", "sub", "s", "strike" -> true;
            default -> false;
        };
    }

    private static int skipElement(String html, int from, String name) {
        int end = indexOfIgnoreCase(html, "</" + name, from);
        if (end < 0) {
            return html.length();
        }
        int close = html.indexOf('>', end);
        return close < 0 ? html.length() : close + 1;
    }

    private static int indexOfIgnoreCase(String s, String needle, int from) {
        for (int i = from; i <= s.length() - needle.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }

    /** "a href=x" → "a"; "/TD" → "/td"; "!DOCTYPE html" → "!doctype". */
    static String tagName(String tag) {
        int n = Math.min(tag.length(), 32);
        int end = tag.startsWith("/") ? 1 : 0;
        while (end < n && (Character.isLetterOrDigit(tag.charAt(end)) || tag.charAt(end) == '!')) {
            end++;
        }
        return tag.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** The value of an attribute, quoted or not, entity references left as written. */
    static String attribute(String tag, String attr) {
        String lower = tag.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lower.indexOf(attr, from);
            if (at < 0) {
                return null;
            }
            from = at + attr.length();
            boolean wordStart = at > 0 && !Character.isLetterOrDigit(lower.charAt(at - 1));
            int eq = skipSpaces(lower, from);
            if (!wordStart || eq >= lower.length() || lower.charAt(eq) != '=') {
                continue;
            }
            int v = skipSpaces(lower, eq + 1);
            if (v >= tag.length()) {
                return "";
            }
            char q = tag.charAt(v);
            if (q == '"' || q == '\'') {
                int close = tag.indexOf(q, v + 1);
                return tag.substring(v + 1, close < 0 ? tag.length() : close).strip();
            }
            int stop = v;
            while (stop < tag.length() && !Character.isWhitespace(tag.charAt(stop)) && tag.charAt(stop) != '>') {
                stop++;
            }
            return tag.substring(v, stop);
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Appends the decoded entity at {@code at} and returns the index after it. */
    private static int appendEntity(String html, int at, StringBuilder out, int[] asciiEntities) {
        int semi = -1;
        for (int j = at + 1; j < Math.min(html.length(), at + 12); j++) {
            char c = html.charAt(j);
            if (c == ';') {
                semi = j;
                break;
            }
            if (!Character.isLetterOrDigit(c) && c != '#') {
                break;
            }
        }
        if (semi < 0) {
            out.append('&');
            return at + 1;
        }
        String body = html.substring(at + 1, semi);
        if (body.startsWith("#")) {
            int cp = parseCodePoint(body.substring(1));
            if (cp > 0 && Character.isValidCodePoint(cp)) {
                if (cp < 128 && Character.isLetterOrDigit(cp)) {
                    asciiEntities[0]++;
                }
                out.appendCodePoint(cp);
                return semi + 1;
            }
        } else {
            String value = ENTITIES.get(body.toLowerCase(Locale.ROOT));
            if (value != null) {
                out.append(value);
                return semi + 1;
            }
        }
        out.append('&');
        return at + 1;
    }

    private static int parseCodePoint(String digits) {
        try {
            if (digits.startsWith("x") || digits.startsWith("X")) {
                return Integer.parseInt(digits.substring(1), 16);
            }
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

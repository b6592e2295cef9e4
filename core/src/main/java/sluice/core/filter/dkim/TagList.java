package sluice.core.filter.dkim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tag=value lists of DKIM-Signature fields and key records (RFC 6376 section 3.2): tags separated
 * by ';', whitespace around names and values ignored, a repeated tag is an error.
 */
final class TagList {

    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern WHITESPACE = Pattern.compile("[ \t\r\n]");

    private TagList() {
    }

    /** The tags in order; throws {@link IllegalArgumentException} with a reason when malformed. */
    static Map<String, String> parse(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String spec : text.split(";", -1)) {
            if (spec.isBlank()) continue; // a trailing ';' is allowed
            int eq = spec.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("tag without '=': '" + spec.strip() + "'");
            String name = spec.substring(0, eq).strip();
            if (!TAG_NAME.matcher(name).matches()) throw new IllegalArgumentException("bad tag name '" + name + "'");
            if (tags.put(name, spec.substring(eq + 1).strip()) != null)
                throw new IllegalArgumentException("tag '" + name + "' appears twice (section 3.2)");
        }
        return tags;
    }

    /** {@code value} without any whitespace (folded base64 in b=, bh= and p=). */
    static String compact(String value) {
        return WHITESPACE.matcher(value).replaceAll("");
    }
}

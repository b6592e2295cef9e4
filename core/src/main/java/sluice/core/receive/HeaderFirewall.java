package sluice.core.receive;

import sluice.core.mail.Headers;

import java.util.Locale;

/**
 * Removes Sluice's own organization header fields ({@code X-Sluice-*}) from mail that arrives from an
 * untrusted source, so nobody outside the organization can forge a verdict, an attribution or an
 * "internal" mark that later stages would believe (Exchange calls this the header firewall); and
 * Authentication-Results fields that claim to be ours (RFC 8601 section 5).
 */
final class HeaderFirewall {

    static final String PREFIX = "x-sluice-";

    private HeaderFirewall() {
    }

    /** The content without any X-Sluice-* field in its header (folded continuation lines included). */
    static byte[] strip(byte[] content, String authservId) {
        if (!Headers.hasFieldStartingWith(content, PREFIX) && !Headers.hasFieldStartingWith(content, "authentication-results"))
            return content; // nothing to copy
        return Headers.withoutFields(content, field -> field.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || claimsToBe(field, authservId));
    }

    /**
     * An Authentication-Results field whose authserv-id is ours (RFC 8601 section 2.2), however it
     * is written: folded, with blanks before the colon, comments or a version after the id.
     */
    private static boolean claimsToBe(String written, String authservId) {
        if (!written.regionMatches(true, 0, "authentication-results", 0, "authentication-results".length())) return false;
        String field = written.replaceAll("\r?\n[ \t]", " ").strip().toLowerCase(Locale.ROOT);
        String name = "authentication-results";
        if (!field.startsWith(name)) return false;
        String rest = field.substring(name.length()).stripLeading();
        if (!rest.startsWith(":")) return false;
        return firstToken(rest.substring(1)).equals(authservId.toLowerCase(Locale.ROOT));
    }

    /** The first token of a structured field value, skipping blanks and (nested) comments; a quoted string unquoted. */
    private static String firstToken(String value) {
        int i = 0, depth = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (depth > 0) {
                if (c == '\\') i++;
                else if (c == '(') depth++;
                else if (c == ')') depth--;
            } else if (c == '(') {
                depth++;
            } else if (!Character.isWhitespace(c)) {
                break;
            }
            i++;
        }
        if (i < value.length() && value.charAt(i) == '"') {
            int close = value.indexOf('"', i + 1);
            return close < 0 ? value.substring(i + 1) : value.substring(i + 1, close);
        }
        int end = i;
        while (end < value.length() && !Character.isWhitespace(value.charAt(end)) && value.charAt(end) != ';'
                && value.charAt(end) != '(') end++;
        return value.substring(i, end);
    }
}

package sluice.core.mail;

import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of an address-list header field (RFC 5322 section 3.4) as a mail reader sees them:
 * comments are skipped, so {@code ceo@x (<alice@x>)} is ceo@x, and every address counts, so
 * {@code <alice@x>, ceo@x} is both. One parser for every check that reads From: DMARC's and
 * the submission port's send-as check must never disagree about who the sender is.
 */
public final class AddressList {

    private AddressList() {
    }

    /** The addr-specs of an address list: comments dropped, display names skipped, split at top-level commas. */
    public static List<String> addrSpecs(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int comment = 0;
        int angle = -1;
        String inAngle = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && comment > 0) { i++; continue; }
            if (c == '\\' && quoted) {
                // a quoted-pair is the character it escapes ("a\\dmin" is admin); kept escaped where it is a quote or a backslash
                if (++i < value.length()) {
                    char e = value.charAt(i);
                    if (e == '"' || e == '\\') current.append('\\');
                    current.append(e);
                }
                continue;
            }
            if (comment > 0) {
                if (c == '(') comment++;
                else if (c == ')') comment--;
                continue;
            }
            if (c == '"') { quoted = !quoted; current.append(c); continue; }
            if (quoted) { current.append(c); continue; }
            if (c == '(') { comment++; continue; }
            if (c == '<') { angle = current.length(); continue; }
            if (c == '>' && angle >= 0) { inAngle = current.substring(angle).strip(); angle = -1; continue; }
            if (c == ',' || c == ';') {
                add(out, current, inAngle);
                current.setLength(0);
                inAngle = null;
                continue;
            }
            if (c == ':' && inAngle == null && angle < 0) { current.setLength(0); continue; } // "group:" prefix
            current.append(c);
        }
        add(out, current, inAngle);
        return out;
    }

    private static void add(List<String> out, StringBuilder current, String inAngle) {
        String address = dotsJoined(inAngle != null ? inAngle : current.toString().strip());
        if (address.isEmpty()) return;
        if (inAngle == null) {
            String word = lastWord(address);
            if (word.length() < address.length() && word.indexOf('@') < 0) return; // words, no address
            address = word;
        }
        out.add(unquoted(address));
    }

    /**
     * Blanks beside a dot or an at sign outside quotes removed: RFC 5322's obsolete syntax (section 4.4) lets
     * them stand between the words of a local part, so {@code john. doe@x} is john.doe@x, not doe@x.
     */
    private static String dotsJoined(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\' && i + 1 < s.length()) {
                out.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') quoted = !quoted;
            if (!quoted && Character.isWhitespace(c)) {
                int j = i;
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
                char before = out.isEmpty() ? ' ' : out.charAt(out.length() - 1);
                char after = j < s.length() ? s.charAt(j) : ' ';
                if (before == '.' || before == '@' || after == '.' || after == '@') {
                    i = j - 1;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** What follows the last blank outside quotes: {@code Alice alice@x} is alice@x, {@code "a b"@x} is itself. */
    private static String lastWord(String s) {
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (!quoted && Character.isWhitespace(c)) start = i + 1;
        }
        return s.substring(start);
    }

    /**
     * The address with quotes dropped where they change nothing ({@code "john.doe"@x} is john.doe@x, RFC 5322
     * section 3.4.1) and kept where they do ({@code "john doe"@x} stays as it is, not doe@x).
     */
    private static String unquoted(String address) {
        if (address.indexOf('"') < 0) return address;
        String plain = address.replace("\"", "");
        for (int i = 0, at = plain.lastIndexOf('@'); i < (at < 0 ? plain.length() : at); i++) {
            char c = plain.charAt(i);
            if (c <= ' ' || "()<>[]:;@\\,\"".indexOf(c) >= 0) return address;
        }
        return plain;
    }
}

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

    /**
     * The addr-specs of an address list: comments dropped, display names skipped, split at top-level commas.
     * A part that readers could take for more than one address, or for none ({@code <a@x> <b@y>},
     * {@code a@x b@y}, an unclosed quote, comment or angle bracket, blanks other than space and tab), is
     * given as its raw text, which is no addr-spec ({@link #isAddrSpec}): checks refuse it rather than guess.
     * Never throws.
     */
    public static List<String> addrSpecs(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int comment = 0;
        int angle = -1;
        String inAngle = null;
        boolean ambiguous = false;
        int start = 0;
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
            if (c == '(') { comment++; continue; }
            if (inAngle != null && c != ',' && c != ';' && c != ' ' && c != '\t') ambiguous = true; // text after <...>
            if (c == '"') { quoted = !quoted; current.append(c); continue; }
            if (quoted) { current.append(c); continue; }
            if (c == '<') {
                if (angle >= 0) ambiguous = true;
                angle = current.length();
                continue;
            }
            if (c == '>' && angle >= 0) {
                inAngle = route(current.substring(angle).strip());
                angle = -1;
                continue;
            }
            if ((c == ',' || c == ';' || c == ':') && angle >= 0) { current.append(c); continue; } // an obsolete route
            if (c == ',' || c == ';') {
                add(out, current, inAngle, ambiguous, value.substring(start, i));
                current.setLength(0);
                inAngle = null;
                ambiguous = false;
                start = i + 1;
                continue;
            }
            if (c == ':' && inAngle == null) { current.setLength(0); start = i + 1; continue; } // "group:" prefix
            if (Character.isWhitespace(c) && c != ' ' && c != '\t') ambiguous = true; // RFC 5322 blanks are space and tab
            current.append(c);
        }
        add(out, current, inAngle, ambiguous || quoted || comment > 0 || angle >= 0, value.substring(start));
        return out;
    }

    /** The address of an obsolete route ({@code @a,@b:x@y} is x@y, RFC 5322 section 4.4). */
    private static String route(String inAngle) {
        return inAngle.startsWith("@") && inAngle.indexOf(':') > 0 ? inAngle.substring(inAngle.lastIndexOf(':') + 1).strip() : inAngle;
    }

    private static void add(List<String> out, StringBuilder current, String inAngle, boolean ambiguous, String raw) {
        if (ambiguous) {
            String text = raw.strip();
            if (!text.isEmpty()) out.add(text);
            return;
        }
        String address = dotsJoined(inAngle != null ? inAngle : current.toString().strip());
        if (address.isEmpty()) return;
        if (inAngle == null) {
            String word = lastWord(address);
            if (word.length() < address.length()) {
                String before = address.substring(0, address.length() - word.length());
                if (hasUnquotedAt(before)) { // "a@x b@y": which is the address is a guess
                    out.add(address);
                    return;
                }
                if (word.indexOf('@') < 0) return; // words, no address
            }
            address = word;
        }
        out.add(unquoted(address));
    }

    private static boolean hasUnquotedAt(String s) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (c == '@' && !quoted) return true;
        }
        return false;
    }

    /**
     * Whether {@code s} is one addr-spec as this class gives them: a local part (dot-atom or quoted string),
     * "@", a domain, with nothing unquoted that readers could split or skip (blanks, angle brackets, commas).
     */
    public static boolean isAddrSpec(String s) {
        int at = -1;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                continue;
            }
            if (c == '"') { quoted = true; continue; }
            if (c == '@') at = i;
            else if (c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c) || "<>()[],;:\\".indexOf(c) >= 0) return false;
        }
        return !quoted && at > 0 && at < s.length() - 1 && s.indexOf('"', at) < 0;
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
            if (!quoted && (c == ' ' || c == '\t')) {
                int j = i;
                while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) j++;
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
            else if (!quoted && (c == ' ' || c == '\t')) start = i + 1;
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
        int at = plain.lastIndexOf('@');
        String local = at < 0 ? plain : plain.substring(0, at);
        if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) return address;
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c <= ' ' || c == 127 || Character.isWhitespace(c) || Character.isSpaceChar(c) || "()<>[]:;@\\,\"".indexOf(c) >= 0)
                return address;
        }
        return plain;
    }
}

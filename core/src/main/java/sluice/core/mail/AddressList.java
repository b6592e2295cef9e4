package sluice.core.mail;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
     * {@code a@x b@y}, an unclosed quote, comment or angle bracket, a group name or words before a bare address
     * that could show one (an at sign, a look-alike of one or an encoded word: {@code ceo＠bank.example me@evil.example}), a line
     * or control blank anywhere, a Unicode space outside a display name), is given as its raw text, which is no
     * addr-spec ({@link #isAddrSpec}): checks refuse it rather than guess. A part with no at sign at all is
     * words, not an address, and is left out ({@code Doe, John <john@x>} is one address). Never throws.
     */
    public static List<String> addrSpecs(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int comment = 0;
        int angle = -1;
        String inAngle = null;
        boolean ambiguous = false;
        boolean unicodeSpace = false; // a space separator other than U+0020 outside quotes, comments and <...>
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // quoted, in a comment or escaped: a reader may break the line, or the address, there
            if (controlBlank(c) || c == '\\' && i + 1 < value.length() && controlBlank(value.charAt(i + 1))) ambiguous = true;
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
                else if (c == ')' && --comment == 0) current.append(' '); // a comment is a blank (RFC 5322 section 3.2.2): a(x)@b is not a@b's neighbour joined
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
                add(out, current, inAngle, ambiguous || unicodeSpace && inAngle == null, value.substring(start, i));
                current.setLength(0);
                inAngle = null;
                ambiguous = false;
                unicodeSpace = false;
                start = i + 1;
                continue;
            }
            // a "group:" prefix, unless the name could show an address: "ceo@bank.example:me@evil.example" is no group
            // of me@evil.example, nor are "ceo＠bank.example:" and "=?utf-8?q?ceo=40bank.example?=:" (and a part already
            // ambiguous is not read again, so many ':' cost one pass)
            if (c == ':' && inAngle == null && !ambiguous && !hasUnquoted(current, "<>") && !namesAnAddress(current)) {
                current.setLength(0);
                unicodeSpace = false;
                start = i + 1;
                continue;
            }
            if (c == ':' && inAngle == null) ambiguous = true;
            if (c != ' ' && Character.getType(c) == Character.SPACE_SEPARATOR) {
                // raw UTF-8 in a display name may hold any space (RFC 6532); in an address readers may split at it
                if (angle >= 0) ambiguous = true;
                else unicodeSpace = true;
            }
            current.append(c);
        }
        add(out, current, inAngle, ambiguous || quoted || comment > 0 || angle >= 0 || unicodeSpace && inAngle == null, value.substring(start));
        return out;
    }

    /**
     * Blanks that are no RFC 5322 blank but a line or field break to some reader: CR, LF, VT, FF, the
     * information separators U+001C to U+001F, NEL, and the line and paragraph separators.
     */
    private static boolean controlBlank(char c) {
        return c == '\r' || c == '\n' || c == '\u000B' || c == '\f' || c >= '\u001C' && c <= '\u001F' || c == '\u0085'
                || c == '\u2028' || c == '\u2029';
    }

    /**
     * The address after an obsolete route ({@code @a,@b:x@y} is x@y, RFC 5322 section 4.4). Anything else before
     * the first ':' outside quotes ({@code @a,ceo@b:x@y}) is no route: the whole is kept, and is no addr-spec.
     */
    private static String route(String inAngle) {
        if (!inAngle.startsWith("@")) return inAngle;
        int colon = unquotedIndexOf(inAngle, ":");
        if (colon < 0) return inAngle;
        for (String hop : inAngle.substring(0, colon).split(",", -1)) {
            String h = hop.strip();
            if (h.isEmpty()) continue; // obs-domain-list allows empty elements
            if (h.length() < 2 || h.charAt(0) != '@') return inAngle;
            for (int i = 1; i < h.length(); i++) {
                char c = h.charAt(i);
                if (c == '@' || c == '"' || c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c)) return inAngle;
            }
        }
        return inAngle.substring(colon + 1).strip();
    }

    private static void add(List<String> out, StringBuilder current, String inAngle, boolean ambiguous, String raw) {
        if (inAngle == null && !mayShowAnAddress(raw)) return; // words, no address
        if (ambiguous) {
            // only RFC 5322 blanks trimmed: the control blank or Unicode space that made it ambiguous stays, and refuses it
            int from = 0;
            int to = raw.length();
            while (from < to && (raw.charAt(from) == ' ' || raw.charAt(from) == '\t')) from++;
            while (to > from && (raw.charAt(to - 1) == ' ' || raw.charAt(to - 1) == '\t')) to--;
            if (from < to) out.add(raw.substring(from, to));
            return;
        }
        String address = dotsJoined(inAngle != null ? inAngle : current.toString().strip());
        if (address.isEmpty()) return;
        if (inAngle == null) {
            String word = lastWord(address);
            if (word.length() < address.length()) {
                String before = address.substring(0, address.length() - word.length());
                if (namesAnAddress(before)) { // "a@x b@y", "a＠x b@y", "=?utf-8?q?a=40x?= b@y": which is the address is a guess
                    out.add(address);
                    return;
                }
                if (word.indexOf('@') < 0) return; // words, no address
            }
            address = word;
        }
        out.add(unquoted(address));
    }

    /**
     * Whether a reader could show {@code raw} as an address: it has an at sign, a look-alike of one (fullwidth
     * or small), or an encoded word, which a reader may decode to one. Other words ({@code Doe} of an unquoted
     * {@code Doe, John <john@x>}) name no mailbox, as a display name names none.
     */
    private static boolean mayShowAnAddress(String raw) {
        return raw.chars().anyMatch(c -> AT_SIGNS.indexOf(c) >= 0) || raw.contains("=?");
    }

    /** The at sign and its look-alikes, the fullwidth and the small one. */
    public static final String AT_SIGNS = "@\uFF20\uFE6B";

    /**
     * A domain a reader could show in address text Sluice cannot read strictly ({@link #shownDomains}).
     *
     * @param whole true when it is all the name shown after the at sign; false when that name is none and this is the
     *              labels at its end that are one ({@link Domain#readableEnd}): the name shown is then below it
     */
    public record Shown(Domain domain, boolean whole) {
    }

    /**
     * What {@link #shownDomains} found.
     *
     * @param truncated the text was longer than {@link #MAX_SHOWN_CHARS} (or, for DMARC's From, had more fields or domains than
     *                  it reads) and the rest was not read: it may show any domain
     */
    public record ShownDomains(List<Shown> domains, boolean truncated) {
        public ShownDomains {
            domains = List.copyOf(domains);
        }
    }

    /**
     * How many From fields the checks that read From (DMARC, send-as) read. RFC 5322 section 3.6 allows one; a message
     * with more than this is taken as showing any sender (DMARC fails it with reject, send-as refuses it) rather than
     * read in part, and the work for a header of 80,000 From fields stays bounded.
     */
    public static final int MAX_FROM_FIELDS = 100;

    /** How much of the text {@link #shownDomains} reads, as header patterns read the first 16K of a field. */
    public static final int MAX_SHOWN_CHARS = 16 * 1024;

    /**
     * The domains readers could show for {@code text}: address parts that are no addr-spec ({@link #isAddrSpec}) or no
     * address ({@code x@-a.evil.example}), blank-separated. The one notion of "the domain shown" that DMARC and mail
     * flow rules share. Characters a reader does not show are dropped first ({@link #invisible}: U+200B, U+200F, the
     * soft hyphen...); then whatever follows each at sign or look-alike of one, up to the next blank, delimiter, quote,
     * encoded word's end or at sign, is read as a name, or else from its end ({@code x@-a.evil.example} shows
     * evil.example); and the same again with encoded words decoded. Every reading counts: readers stopping at the first
     * at sign of {@code ceo@bank.example@evil.example} show bank.example, others evil.example. In order, without repeats;
     * the first {@link #MAX_SHOWN_CHARS} are read, and a longer text is marked {@link ShownDomains#truncated}: what it
     * shows past them is unknown, and checks must not take it for nothing. Never throws.
     */
    public static ShownDomains shownDomains(String text) {
        boolean truncated = text.length() > MAX_SHOWN_CHARS;
        String capped = truncated ? text.substring(0, MAX_SHOWN_CHARS) : text;
        String shown = visible(capped);
        Set<Shown> out = new LinkedHashSet<>();
        afterAtSigns(shown, out);
        if (shown.contains("=?")) {
            String decoded;
            try {
                decoded = DecoderUtil.decodeEncodedWords(shown, DecodeMonitor.SILENT);
            } catch (RuntimeException e) {
                decoded = shown;
            }
            afterAtSigns(visible(decoded), out);
        }
        return new ShownDomains(List.copyOf(out), truncated);
    }

    private static void afterAtSigns(String text, Set<Shown> out) {
        for (int i = 0; i < text.length(); i++) {
            if (AT_SIGNS.indexOf(text.charAt(i)) < 0) continue;
            int end = i + 1;
            while (end < text.length() && !endsName(text.charAt(end))) end++;
            String name = text.substring(i + 1, end);
            Shown s = null;
            if (!name.isEmpty()) {
                try {
                    s = new Shown(new Domain(name), true);
                } catch (IllegalArgumentException e) {
                    Domain readable = Domain.readableEnd(name);
                    if (readable != null) s = new Shown(readable, false);
                }
            }
            if (s != null) out.add(s);
            i = end - 1;
        }
    }

    /** Where a name shown after an at sign ends: a blank, a delimiter of RFC 5322, a quote, an at sign or an encoded word's end. */
    private static boolean endsName(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c) || "<>()[],;:\"'?=".indexOf(c) >= 0
                || AT_SIGNS.indexOf(c) >= 0;
    }

    /** The text without the characters {@link #invisible} names. */
    private static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> !invisible(c)).forEach(out::appendCodePoint);
        return out.toString();
    }

    /**
     * Characters a reader does not show: Unicode format characters (category Cf: the soft hyphen, zero-width space and
     * joiners, bidi marks and overrides...) and the other Default_Ignorable_Code_Point ranges of the Unicode Character
     * Database (DerivedCoreProperties.txt), which Java offers no property for: the combining grapheme joiner, Hangul
     * fillers, Mongolian and other variation selectors, tags.
     */
    public static boolean invisible(int c) {
        return Character.getType(c) == Character.FORMAT || c == 0x034F || c == 0x115F || c == 0x1160 || c == 0x17B4
                || c == 0x17B5 || (c >= 0x180B && c <= 0x180F) || c == 0x2065 || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F)
                || c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0xE0000 && c <= 0xE0FFF);
    }

    /**
     * Whether a group name or the words before a bare address could show an address: an at sign or a look-alike of
     * one, or an encoded word ("=?" and then "?="), outside quotes. A quoted one is a display name's, shown as it
     * stands ({@code "Team @ HQ": a@x;} and {@code "Team =? HQ": a@x;} are groups). Then the part is not read as a group
     * of the addresses after it, or as the address after the words.
     */
    private static boolean namesAnAddress(CharSequence words) {
        return hasUnquoted(words, AT_SIGNS) || hasEncodedWord(unquotedText(words));
    }

    /** The text with each quoted string a blank, so what is left is what stands outside quotes. */
    private static String unquotedText(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') {
                quoted = !quoted;
                out.append(' ');
            } else if (!quoted) out.append(c);
        }
        return out.toString();
    }

    private static boolean hasUnquoted(CharSequence s, String chars) {
        return unquotedIndexOf(s, chars) >= 0;
    }

    /** Where the first of {@code chars} outside quotes is, or -1. */
    private static int unquotedIndexOf(CharSequence s, String chars) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (!quoted && chars.indexOf(c) >= 0) return i;
        }
        return -1;
    }

    /**
     * Whether {@code s} is one addr-spec as this class gives them (RFC 5322 section 3.4.1): a local part that is a
     * dot-atom or one quoted string, exactly one "@" outside quotes, a domain, and nothing that readers could split
     * at or skip (blanks, controls, format characters such as U+200B or U+202E, angle brackets, commas).
     * {@code ceo@bank.example@evil.example} is none: a reader stopping at the first "@" shows bank.example, DMARC
     * would check evil.example. Nor is one with an encoded word ({@code =?utf-8?q?ceo=40bank.example?=@evil.example}):
     * RFC 2047 (section 5) allows none in an addr-spec, yet some readers decode them there.
     */
    public static boolean isAddrSpec(String s) {
        int at = -1;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || controlBlank(c) || Character.getType(c) == Character.FORMAT) return false; // invisible, or reorders the text shown
            if (quoted) {
                if (c == '\\' && ++i < s.length() && Character.isISOControl(s.charAt(i))) return false;
                else if (c == '"') quoted = false;
                continue;
            }
            if (c == '"') {
                if (i > 0) return false; // a quoted string is the whole local part or nothing
                quoted = true;
            } else if (c == '@') {
                if (at >= 0) return false;
                at = i;
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c) || "<>()[],;:\\".indexOf(c) >= 0) {
                return false;
            }
        }
        if (quoted || at <= 0 || at == s.length() - 1 || hasEncodedWord(s)) return false;
        String local = s.substring(0, at);
        String domain = s.substring(at + 1);
        boolean localOk = local.startsWith("\"") ? local.length() >= 2 && local.endsWith("\"") : dotAtom(local);
        return localOk && !domain.startsWith(".") && !domain.contains("..");
    }

    /** Whether {@code s} has what could start and end an encoded word: "=?" and, after it, "?=". */
    private static boolean hasEncodedWord(String s) {
        int open = s.indexOf("=?");
        return open >= 0 && s.indexOf("?=", open + 2) >= 0;
    }

    private static boolean dotAtom(String s) {
        return !s.startsWith(".") && !s.endsWith(".") && !s.contains("..");
    }

    /**
     * Blanks beside a dot or an at sign outside quotes removed: RFC 5322's obsolete syntax (section 4.4) lets
     * them stand between the words of a local part, so {@code john. doe@x} is john.doe@x, not doe@x. Each run
     * of blanks is looked at once.
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
                if (before != '.' && before != '@' && after != '.' && after != '@') out.append(s, i, j);
                i = j - 1;
                continue;
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

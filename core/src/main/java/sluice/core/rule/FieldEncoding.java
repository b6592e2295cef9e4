package sluice.core.rule;

import sluice.core.mail.AddressList;
import sluice.core.mail.EncodedWords;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A header field a rule sets, written as RFC 5322 requires: words with other characters become RFC 2047 encoded
 * words where encoded words may stand, the rest stays as it is, so what programs parse (an address) stays readable.
 * <ul>
 *   <li>A run of such words goes into one sequence of encoded words, the white space between them
 *       included: a decoder drops white space between two adjacent encoded words (RFC 2047 section 6.2),
 *       so "ñ  ñ" written as two would read "ññ".</li>
 *   <li>A word holding "=?" is encoded too, or a reader would decode what only looks like an encoded word.</li>
 *   <li>An unstructured field (Subject, X-..., any field but those below) is words and white space: quotes,
 *       parentheses and angle brackets are ordinary characters, and an encoded word has white space on both
 *       sides (section 5 (1)).</li>
 *   <li>Another structured field (Message-ID, References, Date, Content-*, List-*, ...) is never encoded: an
 *       encoded word there would be read as it stands (section 5). Rules may set only ASCII there ({@link #refusal}).</li>
 *   <li>An address field (From, Sender, Reply-To, To, Cc, Bcc, their Resent- forms, Disposition-Notification-To,
 *       Mail-Followup-To and Mail-Reply-To) is read as an address list. An {@code <...>} address (up to the first
 *       {@code >} outside quotes), a bare addr-spec (local@domain, also with a domain literal) and a quoted local
 *       part with its domain ("a b"@x.example) are never encoded, whatever they hold: inside an encoded word they
 *       would no longer be addresses, so one with other characters (RFC 6532) stays UTF-8, as the rule set it. A
 *       comma, semicolon or colon outside quotes, comments and {@code <...>} is a separator of its own, never
 *       encoded, and ends a display name. An encoded word is separated by a space from text next to it (section 5).</li>
 *   <li>There a quoted string and a comment are each one unit, never split at their white space. A display name
 *       (the phrase before {@code <...>}) or a group's name (the phrase before its colon) with a quoted string that
 *       needs encoding loses its quotes and is encoded as a whole: an encoded word may replace a phrase but never appear inside a quoted string
 *       (section 5), and "Müller, Hans" stays one name. A comment is encoded inside its parentheses, its
 *       quoted-pairs written as the characters they escape, and is never part of a name.</li>
 *   <li>Lines are counted in octets and kept to 78 (RFC 5322 section 2.1.1), or 76 when they hold an encoded word
 *       (RFC 2047 section 2): the field is folded (CRLF and a space) before a token that would make the line longer,
 *       at white space, or in an address list also after a separator or before an {@code <...>} address; a run of
 *       white space at a fold becomes that one space. A token is never split, so one longer than a line stays so;
 *       {@link #refusal} refuses a value that would make a line over 998 octets.</li>
 * </ul>
 */
final class FieldEncoding {

    /** RFC 5322 section 2.1.1: a line SHOULD be at most 78 characters and MUST be at most 998 (counted in octets here). */
    private static final int MAX_LINE = 78;
    static final int MAX_OCTETS = 998;
    /** RFC 2047 section 2: a line holding an encoded word is at most 76 characters. */
    private static final int MAX_ENCODED_LINE = 76;
    /** RFC 5321 section 4.5.3.1.3: a path is at most 256 octets, its angle brackets included. */
    static final int MAX_ADDRESS = 254;
    private static final String SEPARATORS = ",;:";
    /** An atext character or another character (RFC 6532), but no white space, separator or format character (\p{Z}, \p{Cf}). */
    static final String ADDRESS_CHAR = "[!#-'*+\\-./-9=?A-Z^-~[\\x{80}-\\x{10FFFF}&&[^\\p{Z}\\p{Cf}]]]";
    /** A domain literal ({@code [192.0.2.1]}): dtext between square brackets (RFC 5322 section 3.4.1). */
    static final String DOMAIN_LITERAL = "\\[[!-Z^-~]*\\]";
    /**
     * A bare addr-spec (local@domain), also with other characters (RFC 6532): encoded it would no longer be an
     * address, so it is written as the rule set it.
     */
    private static final Pattern ADDR_SPEC = Pattern.compile(ADDRESS_CHAR + "+@(" + ADDRESS_CHAR + "+|" + DOMAIN_LITERAL + ")");
    /**
     * The fields whose value is an address list (RFC 5322 section 3.6.2, 3.6.3, 3.6.6; Disposition-Notification-To
     * of RFC 8098; Mail-Followup-To and Mail-Reply-To as mail programs use them).
     */
    private static final Set<String> ADDRESS_FIELDS = Set.of("from", "sender", "reply-to", "to", "cc", "bcc",
            "resent-from", "resent-sender", "resent-to", "resent-cc", "resent-bcc",
            "disposition-notification-to", "mail-followup-to", "mail-reply-to");
    /**
     * Fields that hold mailboxes, never a group (RFC 5322 section 3.6.2, 3.6.6). A rule may set only one: a From of
     * several needs a Sender (section 3.6.2), and DKIM signing and DMARC need one author.
     */
    static final Set<String> ONE_ADDRESS = Set.of("from", "sender", "resent-from", "resent-sender");
    /** Address fields that may be empty (RFC 5322 section 3.6.3: "Bcc:" [address-list / CFWS]). */
    static final Set<String> MAY_BE_EMPTY = Set.of("bcc", "resent-bcc");
    /**
     * Structured fields other than address lists (RFC 5322, 2045, 2369, 6376, 8601, 8617 and others): encoded words
     * may stand only in unstructured text, comments and phrases (RFC 2047 section 5), never in a message id, a date,
     * a MIME parameter or a URL, so these are never encoded. Content-Description is text (RFC 2045 section 8).
     */
    private static final Set<String> STRUCTURED = Set.of("message-id", "in-reply-to", "references", "date", "mime-version",
            "return-path", "received", "received-spf", "dkim-signature", "authentication-results");
    private static final List<String> STRUCTURED_PREFIXES = List.of("content-", "list-", "arc-", "resent-");

    private enum FieldKind { ADDRESS_LIST, STRUCTURED, UNSTRUCTURED }

    private FieldEncoding() {
    }

    private static FieldKind kind(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (ADDRESS_FIELDS.contains(n)) return FieldKind.ADDRESS_LIST;
        if (STRUCTURED.contains(n) || !n.equals("content-description") && STRUCTURED_PREFIXES.stream().anyMatch(n::startsWith))
            return FieldKind.STRUCTURED;
        return FieldKind.UNSTRUCTURED;
    }

    static String field(String name, String value) {
        FieldKind kind = kind(name);
        String simple = name + ": " + value;
        if (octets(simple) <= MAX_LINE && (kind == FieldKind.STRUCTURED || plain(value) && !value.contains("=?"))) return simple;
        return written(name, switch (kind) {
            case ADDRESS_LIST -> tokens(value);
            case STRUCTURED -> words(value, Token.Kind.LITERAL);
            case UNSTRUCTURED -> words(value, Token.Kind.TEXT);
        });
    }

    /**
     * Why a rule may not set this value, or null. A structured field that is no address list must be ASCII (it cannot
     * be encoded); an address list must read as addresses, as the shared parser ({@link AddressList}) and
     * Mime4j read them, each at most 254 octets without white space, comments or format characters other than a quoted
     * space, one per entry, and the same addresses in the field as written; and no line may be longer than 998
     * octets once folded.
     */
    static String refusal(String name, String value) {
        FieldKind kind = kind(name);
        if (kind == FieldKind.STRUCTURED && !plain(value))
            return name + " is a structured field, which cannot hold encoded words (RFC 2047 section 5): its value must be ASCII";
        if (kind == FieldKind.ADDRESS_LIST) {
            String unreadable = AddressFieldCheck.refusal(name, value);
            if (unreadable != null) return unreadable;
        }
        for (String line : field(name, value).split("\r\n"))
            if (octets(line) > MAX_OCTETS)
                return "the value has a part without white space that makes a line of " + octets(line) + " octets; a header line"
                        + " holds at most " + MAX_OCTETS + " (RFC 5322 section 2.1.1)";
        return null;
    }

    /**
     * The field written from its tokens: encoded words where they need it, folded (CRLF and a space) before a token
     * that would make the line longer than 78 octets, or 76 on a line holding an encoded word. A fold goes at white
     * space, or in an address list after a separator or before an {@code <...>} address, where white space may stand;
     * never inside a token, so a token longer than a line makes a longer line ({@link #refusal} bounds it).
     */
    private static String written(String name, List<Token> tokens) {
        StringBuilder out = new StringBuilder(name).append(':');
        int line = octets(out.toString());
        boolean first = true;
        boolean encodedOnLine = false;
        String space = " ";
        boolean lastEncoded = false;
        boolean lastSeparator = false;
        for (int i = 0; i < tokens.size(); ) {
            Token t = tokens.get(i);
            if (t.blank()) {
                space = t.text();
                i++;
                continue;
            }
            boolean encoded = t.encoded();
            int end = i + 1;
            // the white space between words that are both encoded goes inside the encoded text (not a comment's)
            while (encoded && !t.comment() && end + 1 < tokens.size() && tokens.get(end).blank()
                    && tokens.get(end + 1).encoded() && !tokens.get(end + 1).comment()) end += 2;
            String text = tokens.subList(i, end).stream().map(Token::text).collect(Collectors.joining());
            i = end;
            if (space.isEmpty() && (encoded || lastEncoded)) space = " ";
            // right after the name only an encoded word folds (a long name leaves it little room): any other first
            // token is as long on a line of its own
            boolean foldable = (!first || encoded) && (!space.isEmpty() || lastSeparator || t.angle());
            String written = t.write(text, line + octets(space));
            int limit = encoded || encodedOnLine ? MAX_ENCODED_LINE : MAX_LINE;
            // a separator right after the token stays on its line: there is no white space before it to fold at
            int attached = i < tokens.size() && tokens.get(i).separator() ? 1 : 0;
            if (foldable && line + octets(space) + octets(firstLine(written)) + attached > limit) {
                // a fold needs white space; at a fold a run of it is one space, or the new line would be as long
                out.append("\r\n");
                space = " ";
                line = 0;
                encodedOnLine = false;
                written = t.write(text, space.length());
            }
            out.append(space).append(written);
            int fold = written.lastIndexOf("\r\n");
            line = fold < 0 ? line + octets(space) + octets(written) : octets(written.substring(fold + 2));
            encodedOnLine = encoded || (encodedOnLine && fold < 0);
            lastEncoded = encoded;
            lastSeparator = t.separator();
            first = false;
            space = "";
        }
        return out.toString();
    }

    /**
     * A piece of the value: white space, a word, a quoted string or a comment (each one unit, its white space
     * included), or an {@code <...>} address. {@code encode} forces encoding (a display name); a comment with
     * other characters is encoded inside its parentheses, where RFC 2047 section 5 allows encoded words.
     */
    record Token(String text, Kind kind) {
        enum Kind { TEXT, ENCODE, COMMENT, LITERAL }

        static Token of(String text) {
            return new Token(text, Kind.TEXT);
        }

        boolean comment() {
            return kind == Kind.COMMENT;
        }

        boolean blank() {
            return !text.isEmpty() && FieldEncoding.blank(text);
        }

        /** An {@code <...>} address (in a structured field a word may also start so: only address lists ask). */
        boolean angle() {
            return kind == Kind.LITERAL && text.startsWith("<");
        }

        boolean separator() {
            return kind == Kind.LITERAL && text.length() == 1 && SEPARATORS.contains(text);
        }

        boolean encoded() {
            return kind == Kind.ENCODE || kind != Kind.LITERAL && needsEncoding(text);
        }

        String write(String text, int used) {
            if (!encoded()) return text;
            if (!comment()) return EncodedWords.words(text, used);
            // inside an encoded word a quoted-pair is no longer one: the character it escapes is written
            String inner = EncodedWords.words(unescaped(text.substring(1, text.length() - 1)), used + 1);
            int fold = inner.lastIndexOf("\r\n");
            int last = fold < 0 ? used + 1 + inner.length() : inner.length() - fold - 2;
            // folding white space may stand before a comment's closing parenthesis (RFC 5322 section 3.2.2)
            return "(" + inner + (last + 1 > MAX_ENCODED_LINE ? "\r\n )" : ")");
        }
    }

    /**
     * An unstructured value (Subject, X-...) in {@link Token}s of {@code kind}: white space and the words between it.
     * Quotes, parentheses and angle brackets are ordinary characters there, so a word holding one is encoded as a
     * whole, white space on each side (RFC 2047 section 5 (1)). A structured field's words are literal: never encoded.
     */
    private static List<Token> words(String value, Token.Kind kind) {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < value.length(); ) {
            int e = i;
            boolean white = blank(value.substring(i, i + 1));
            while (e < value.length() && blank(value.substring(e, e + 1)) == white) e++;
            out.add(new Token(value.substring(i, e), white ? Token.Kind.TEXT : kind));
            i = e;
        }
        return out;
    }

    /**
     * An address list's value in {@link Token}s. A display name (the phrase before an {@code <...>} address) holding a quoted
     * string with other characters loses its quotes and becomes one forced-encoded token: an encoded word may
     * stand for a phrase but never appear inside a quoted string (RFC 2047 section 5).
     */
    private static List<Token> tokens(String value) {
        List<Token> out = new ArrayList<>();
        int phrase = 0; // where the current address's display name may start: after a separator or an address
        for (Token t : pieces(value)) {
            // a display name ends at its address, a group's name at its colon
            if (t.angle() || t.text().equals(":")) displayName(out, phrase);
            out.add(t);
            // a comma, semicolon or colon (a group's name) outside quotes, comments and <...> ends a display name
            if (t.angle() || t.separator()) phrase = out.size();
        }
        return out;
    }

    /**
     * An address list's value in pieces as written: white space, words, quoted strings, comments, separators, and
     * literal addresses ({@code <...>}, local@domain, "quoted local"@domain), which are never encoded or split.
     */
    static List<Token> pieces(String value) {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < value.length(); ) {
            int end = end(value, i);
            String t = value.substring(i, end);
            char c = t.charAt(0);
            boolean address = c == '<' && addressEnd(value, i) == end;
            // a quoted local part and its domain ("a b"@x.example) are one address, never encoded nor folded
            boolean local = c == '"' && quotedEnd(value, i) < end;
            if (c == '(' && t.endsWith(")")) out.add(new Token(t, Token.Kind.COMMENT));
            else if (address || local || SEPARATORS.indexOf(c) >= 0 || ADDR_SPEC.matcher(t).matches()) out.add(new Token(t, Token.Kind.LITERAL));
            else out.add(Token.of(t));
            i = end;
        }
        return out;
    }

    /** The end of the token starting at {@code i}. */
    private static int end(String v, int i) {
        char c = v.charAt(i);
        if (c == ' ' || c == '\t') {
            int e = i;
            while (e < v.length() && (v.charAt(e) == ' ' || v.charAt(e) == '\t')) e++;
            return e;
        }
        if (c == '"') {
            int q = quotedEnd(v, i);
            return q < v.length() && v.charAt(q) == '@' ? domainEnd(v, q + 1) : q;
        }
        if (c == '(') {
            int depth = 0;
            for (int e = i; e < v.length(); e++) {
                char d = v.charAt(e);
                if (d == '\\') e++;
                else if (d == ')' && --depth == 0) return e + 1;
                else if (d == '(') depth++;
            }
            return v.length();
        }
        if (c == '<' && addressEnd(v, i) > 0) return addressEnd(v, i);
        if (SEPARATORS.indexOf(c) >= 0) return i + 1;
        int e = i + 1;
        // a word ends at white space, a separator, a quoted string, a comment or an <...> address
        while (e < v.length() && v.charAt(e) != ' ' && v.charAt(e) != '\t' && SEPARATORS.indexOf(v.charAt(e)) < 0
                && v.charAt(e) != '"' && v.charAt(e) != '(' && !(v.charAt(e) == '<' && addressEnd(v, e) > 0)) e++;
        return e;
    }

    /** Just past the quoted string starting at {@code i}: its closing quote, or the end of {@code v} without one. */
    private static int quotedEnd(String v, int i) {
        for (int e = i + 1; e < v.length(); e++) {
            char d = v.charAt(e);
            if (d == '\\') e++;
            else if (d == '"') return e + 1;
        }
        return v.length();
    }

    /** The end of the domain starting at {@code i} (after a quoted local part's "@"): a domain literal or a word. */
    private static int domainEnd(String v, int i) {
        if (i < v.length() && v.charAt(i) == '[') {
            int close = v.indexOf(']', i);
            return close < 0 ? v.length() : close + 1;
        }
        int e = i;
        while (e < v.length() && " \t\"(<>".indexOf(v.charAt(e)) < 0 && SEPARATORS.indexOf(v.charAt(e)) < 0) e++;
        return e;
    }

    /**
     * The end of the {@code <...>} address starting at {@code i}: after the first {@code >} outside quotes, whatever
     * comes before it (a quoted local part, other characters, a route); -1 without one.
     */
    private static int addressEnd(String v, int i) {
        boolean quoted = false;
        for (int e = i + 1; e < v.length(); e++) {
            char d = v.charAt(e);
            if (quoted && d == '\\') e++;
            else if (d == '"') quoted = !quoted;
            else if (d == '>' && !quoted) return e + 1;
        }
        return -1;
    }

    /**
     * Turns the tokens from {@code from} (a display name or a group's name) into one encoded name when a quoted
     * string in them needs encoding (other characters, or text that reads as an encoded word). A comment there is not part of the name: it is
     * kept, in front of the name, as a comment.
     */
    private static void displayName(List<Token> out, int from) {
        List<Token> name = out.subList(from, out.size());
        if (name.stream().noneMatch(t -> t.kind() != Token.Kind.LITERAL && t.text().startsWith("\"") && needsEncoding(t.text()))) return;
        StringBuilder text = new StringBuilder();
        List<Token> comments = new ArrayList<>();
        for (Token t : name) {
            if (t.comment()) comments.add(t);
            // where a comment was taken out, the white space on its two sides is one
            else if (!t.blank() || text.isEmpty() || !blank(text.substring(text.length() - 1)))
                text.append(t.text().startsWith("\"") ? unquoted(t.text()) : t.text());
        }
        String leading = name.isEmpty() || !name.getFirst().blank() ? "" : name.getFirst().text();
        name.clear();
        if (!leading.isEmpty()) out.add(Token.of(leading));
        for (Token c : comments) out.addAll(List.of(c, Token.of(" ")));
        out.add(new Token(text.toString().strip(), Token.Kind.ENCODE));
        out.add(Token.of(" "));
    }

    /** A quoted string's content: without the quotes, a quoted-pair as the character it escapes. */
    private static String unquoted(String quoted) {
        return unescaped(quoted.substring(1, quoted.endsWith("\"") && quoted.length() > 1 ? quoted.length() - 1 : quoted.length()));
    }

    /** {@code s} with each quoted-pair as the character it escapes. */
    private static String unescaped(String s) {
        return s.replaceAll("(?s)\\\\(.)", "$1");
    }

    static int octets(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String firstLine(String s) {
        int fold = s.indexOf("\r\n");
        return fold < 0 ? s : s.substring(0, fold);
    }

    private static boolean blank(String s) {
        return s.chars().allMatch(c -> c == ' ' || c == '\t');
    }

    /**
     * Other characters, or text that reads as an encoded word ("=?UTF-8?B?aGk=?=" would decode to "hi"): written
     * as it is it would not say what the rule set.
     */
    private static boolean needsEncoding(String s) {
        return !plain(s) || s.contains("=?");
    }

    private static boolean plain(String s) {
        return s.chars().allMatch(c -> c == '\t' || (c >= 32 && c < 127));
    }
}

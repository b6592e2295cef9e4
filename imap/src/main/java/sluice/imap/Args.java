package sluice.imap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cursor over a command's arguments (RFC 3501 section 9 grammar): atoms, quoted strings,
 * literals, parenthesised lists. Every method throws {@link ImapSyntaxException} with a message fit
 * for a {@code BAD} response when the input does not match.
 */
final class Args {

    private final String text;
    private final List<byte[]> literals;
    private int pos;
    private int literal;

    Args(String text, List<byte[]> literals, int pos) {
        this.text = text;
        this.literals = literals;
        this.pos = pos;
    }

    static boolean isTag(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAtomChar(c) || c == '+') return false;
        }
        return true;
    }

    static boolean isAtomChar(char c) {
        return c > 0x20 && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0;
    }

    int position() {
        return pos;
    }

    /** Goes back to a {@link #position()} taken before; literals are not rewound (no token read there may be one). */
    void position(int p) {
        pos = p;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    char peek() {
        return atEnd() ? 0 : text.charAt(pos);
    }

    char take() {
        if (atEnd()) throw new ImapSyntaxException("missing arguments");
        return text.charAt(pos++);
    }

    void expect(char c) {
        if (peek() != c) throw new ImapSyntaxException(atEnd() ? "missing arguments" : "expected '" + c + "' at column " + (pos + 1));
        pos++;
    }

    boolean accept(char c) {
        if (peek() != c) return false;
        pos++;
        return true;
    }

    void sp() {
        if (peek() != ' ') throw new ImapSyntaxException(atEnd() ? "missing arguments" : "expected a space at column " + (pos + 1));
        pos++;
    }

    void end() {
        if (!atEnd()) throw new ImapSyntaxException("unexpected characters at the end of the command: " + abbreviate(text.substring(pos)));
    }

    /** An atom: one or more atom characters (RFC 3501 ATOM-CHAR). */
    String atom() {
        int start = pos;
        while (!atEnd() && isAtomChar(text.charAt(pos))) pos++;
        if (pos == start) throw new ImapSyntaxException(atEnd() ? "missing arguments" : "expected an atom at column " + (start + 1));
        return text.substring(start, pos);
    }

    /** A run of characters up to a space or parenthesis: sequence sets, search keys, list wildcards. */
    String token() {
        int start = pos;
        while (!atEnd() && " ()".indexOf(text.charAt(pos)) < 0 && text.charAt(pos) != CommandReader.LITERAL) pos++;
        if (pos == start) throw new ImapSyntaxException(atEnd() ? "missing arguments" : "expected a value at column " + (start + 1));
        return text.substring(start, pos);
    }

    /** astring: an atom (']' allowed, RFC 3501 ASTRING-CHAR), a quoted string or a literal. */
    String astring() {
        char c = peek();
        if (c == '"' || c == CommandReader.LITERAL) return string();
        int start = pos;
        while (!atEnd() && (isAtomChar(text.charAt(pos)) || text.charAt(pos) == ']')) pos++;
        if (pos == start) throw new ImapSyntaxException(atEnd() ? "missing arguments" : "expected a string at column " + (start + 1));
        return text.substring(start, pos);
    }

    /** A mailbox pattern for LIST: like astring, with the wildcards % and * allowed. */
    String listMailbox() {
        char c = peek();
        if (c == '"' || c == CommandReader.LITERAL) return string();
        return token();
    }

    /** A quoted string or a literal (decoded as UTF-8). */
    String string() {
        if (accept(CommandReader.LITERAL)) {
            if (literal >= literals.size()) throw new ImapSyntaxException("literal missing");
            return new String(literals.get(literal++), StandardCharsets.UTF_8);
        }
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (atEnd()) throw new ImapSyntaxException("unterminated quoted string");
            char c = text.charAt(pos++);
            if (c == '"') return b.toString();
            if (c == '\\') {
                if (atEnd() || (peek() != '"' && peek() != '\\'))
                    throw new ImapSyntaxException("only \\\" and \\\\ may be escaped in a quoted string");
                c = text.charAt(pos++);
            }
            b.append(c);
        }
    }

    /** A literal's octets as sent: the message of APPEND. */
    byte[] literal() {
        if (!accept(CommandReader.LITERAL)) throw new ImapSyntaxException(atEnd() ? "missing arguments" : "expected a literal at column " + (pos + 1));
        if (literal >= literals.size()) throw new ImapSyntaxException("literal missing");
        return literals.get(literal++);
    }

    /** A parenthesised list of atoms (flags, STATUS items); "(" already required. */
    List<String> atomList() {
        expect('(');
        List<String> out = new ArrayList<>();
        while (!accept(')')) {
            if (atEnd()) throw new ImapSyntaxException("unterminated list");
            if (!out.isEmpty()) sp();
            out.add(flagOrAtom());
        }
        return out;
    }

    /** An atom, or a flag with its leading backslash. */
    String flagOrAtom() {
        return accept('\\') ? "\\" + atom() : atom();
    }

    long number() {
        String s = token();
        try {
            long n = Long.parseLong(s);
            if (n < 0 || n > 0xFFFF_FFFFL || !s.chars().allMatch(Character::isDigit)) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ImapSyntaxException("expected a number, not " + abbreviate(s));
        }
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        s = s.replace(CommandReader.LITERAL, '?');
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}

package sluice.core.deliver.remote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header block of one MIME entity (RFC 2045), read from raw octets for a 7-bit conversion: where it
 * ends and what it declares. Only Content-Type (type, subtype, boundary), Content-Transfer-Encoding and
 * MIME-Version matter here.
 *
 * @param end          where the body starts: after the empty line, or at the first line that is neither a field
 *                     nor a continuation (that line is body, as Postfix reads it), or at the end of the input
 * @param blankLine    the block ended with an empty line
 * @param type         the media type, lower case, or null when not declared or unreadable
 * @param subtype      the media subtype, lower case, or null
 * @param boundary     the multipart boundary, or null when there is none, it is unreadable, ambiguous or too long
 *                     (see {@link #boundary}), or the Content-Type value is longer than {@link #MAX_VALUE}
 * @param encoding     the transfer encoding's mechanism ({@link #mechanism}), or null when not declared
 * @param mimeVersion  a MIME-Version field is present
 * @param eightBit     some field has an octet above 127
 */
record EntityHeader(int end, boolean blankLine, String type, String subtype, byte[] boundary, String encoding,
                    boolean mimeVersion, boolean eightBit) {

    /** Longest boundary taken (RFC 2046 allows 70; Postfix takes longer ones, so do we, within reason). */
    static final int MAX_BOUNDARY = 2000;
    /**
     * How much of a field's value is parsed (in linear time): a real Content-Type is far shorter; a longer one is read
     * from its start, and has no boundary.
     */
    static final int MAX_VALUE = 256 * 1024;

    /** Reads the header block starting at {@code pos}. */
    static EntityHeader read(byte[] in, int pos) {
        Fields f = new Fields();
        int field = -1;
        while (true) {
            int next = pos < in.length ? Lines.next(in, pos) : pos;
            int eol = Lines.contentEnd(in, pos, next);
            boolean continuation = field >= 0 && pos < in.length && (in[pos] == ' ' || in[pos] == '\t');
            if (!continuation && field >= 0) {
                f.take(new String(in, field, pos - field, StandardCharsets.ISO_8859_1));
                field = -1;
            }
            if (pos >= in.length) return f.header(pos, false);
            if (eol == pos) return f.header(next, true);
            if (!continuation) {
                if (!isFieldStart(in, pos, eol)) return f.header(pos, false);
                field = pos;
            }
            f.eightBit |= Lines.has8Bit(in, pos, eol);
            pos = next;
        }
    }

    /** What the fields read so far declare. */
    private static final class Fields {
        String type;
        String subtype;
        byte[] boundary;
        String encoding;
        boolean mimeVersion;
        boolean eightBit;

        void take(String field) {
            int colon = field.indexOf(':');
            boolean cut = field.length() - (colon + 1) > MAX_VALUE;
            String value = field.substring(colon + 1, Math.min(field.length(), colon + 1 + MAX_VALUE))
                    .replace("\r", "").replace("\n", "");
            switch (fieldName(field)) {
                case "content-type" -> {
                    List<String> parts = split(withoutComments(value));
                    String t = parts.getFirst().trim().toLowerCase(Locale.ROOT);
                    int slash = t.indexOf('/');
                    type = slash > 0 ? t.substring(0, slash).trim() : null;
                    subtype = slash > 0 ? t.substring(slash + 1).trim() : null;
                    // a value cut short may have its boundary, or a later one, in the part not read: none is taken
                    String b = cut ? null : boundary(parameters(parts.subList(1, parts.size())));
                    boundary = b == null || b.isEmpty() || b.length() > MAX_BOUNDARY ? null : b.getBytes(StandardCharsets.ISO_8859_1);
                }
                case "content-transfer-encoding" -> encoding = mechanism(value);
                case "mime-version" -> mimeVersion = true;
                default -> { }
            }
        }

        EntityHeader header(int end, boolean blankLine) {
            return new EntityHeader(end, blankLine, type, subtype, boundary, encoding, mimeVersion, eightBit);
        }
    }

    /**
     * The value without its comments (RFC 5322 section 3.2.2: parenthesised, nested, with backslash escapes; an
     * unclosed one runs to the end), quoted strings kept as they are. One pass over the value.
     */
    static String withoutComments(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (depth > 0) {
                if (c == '\\') i++;
                else if (c == '(') depth++;
                else if (c == ')') depth--;
                continue;
            }
            if (c == '(' && !quoted) {
                depth = 1;
                continue;
            }
            out.append(c);
            if (c == '"') quoted = !quoted;
            else if (c == '\\' && quoted && i + 1 < value.length()) out.append(value.charAt(++i));
        }
        return out.toString();
    }

    /**
     * The mechanism a Content-Transfer-Encoding value names, lower case: its first token once comments and quotes
     * are gone ({@code 8bit (it is)}, {@code "8bit"}, {@code 8bit;} all name 8bit); null when it names none.
     */
    static String mechanism(String value) {
        String v = withoutComments(value).replace("\"", "").trim();
        int end = 0;
        while (end < v.length() && v.charAt(end) > ' ' && v.charAt(end) != ';') end++;
        return end == 0 ? null : v.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** "name:" with printable ASCII in the name, blanks before the colon allowed (RFC 5322 section 4.5.1). */
    static boolean isFieldStart(byte[] in, int pos, int eol) {
        int i = pos;
        while (i < eol && in[i] > 32 && in[i] < 127 && in[i] != ':') i++;
        if (i == pos) return false;
        while (i < eol && (in[i] == ' ' || in[i] == '\t')) i++;
        return i < eol && in[i] == ':';
    }

    /** The lower-case name of a field (a line that {@link #isFieldStart starts one}). */
    static String fieldName(String field) {
        return field.substring(0, field.indexOf(':')).trim().toLowerCase(Locale.ROOT);
    }

    boolean isMultipart() { return "multipart".equals(type); }
    boolean isMessage() { return "message".equals(type); }
    /** 8bit or binary: content only a server with 8BITMIME (or BINARYMIME) may receive. */
    boolean eightBitDomain() { return "8bit".equals(encoding) || "binary".equals(encoding); }
    /**
     * Not encoded: 7bit, 8bit, binary or none declared (RFC 2045 section 6.2's identity encodings), or a mechanism
     * we do not know, which 8-bit content is then taken to be in (converted as 8bit is) rather than returned for.
     */
    boolean identityEncoding() { return !"quoted-printable".equals(encoding) && !"base64".equals(encoding); }

    /**
     * The boundary among a Content-Type's {@link #parameters}, also as RFC 2231 writes it ({@code boundary*=us-ascii''b},
     * {@code boundary*0="a"; boundary*1="b"}), which RFC 2231 readers (Python's email package, Thunderbird) understand.
     * When it is given more than once (twice plainly, in plain and RFC 2231 forms, as both {@code boundary*0} and
     * {@code boundary*0*}) with different values, readers split the message differently (Python takes the plain one,
     * Thunderbird an RFC 2231 one, others the first or the last): none is taken, so 8-bit content in it is returned
     * rather than converted by a guess. Null too when {@code params} is null (unreadable). Trailing blanks are dropped,
     * as Python's email drops them: RFC 2046 lets no boundary end in a space, and the blanks after a delimiter are
     * padding, which matching ignores anyway; leading ones are the boundary's.
     */
    static String boundary(Map<String, List<String>> params) {
        if (params == null) return null;
        List<String> forms = new ArrayList<>(params.getOrDefault("boundary", List.of()));
        for (String v : params.getOrDefault("boundary*", List.of())) forms.add(extendedValue(v, true));
        if (!addContinued(params, forms)) return null;
        forms.replaceAll(String::stripTrailing);
        return forms.stream().distinct().count() == 1 ? forms.getFirst() : null;
    }

    /**
     * Adds to {@code forms} the value RFC 2231 segments {@code boundary*0}, {@code boundary*1}... (each maybe
     * {@code boundary*k*}, encoded), given in any order, join to, when there are any. False when readers could join
     * them to another value: a segment given twice differently, a number written otherwise than plainly
     * ({@code boundary*01}), or numbers other than 0, 1, 2... with none missing (after a gap, or without {@code *0},
     * Python's email joins what another reader drops).
     */
    private static boolean addContinued(Map<String, List<String>> params, List<String> forms) {
        Map<Integer, List<String>> segments = new HashMap<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String name = p.getKey();
            boolean encoded = name.endsWith("*");
            if (!name.startsWith("boundary*") || name.length() <= "boundary*".length() + (encoded ? 1 : 0)) continue;
            String number = name.substring("boundary*".length(), name.length() - (encoded ? 1 : 0));
            if (!number.chars().allMatch(c -> c >= '0' && c <= '9')) continue; // another parameter's name
            // past nine digits there are more numbers than parameters could be in a value: one is missing
            if (number.length() > 1 && number.charAt(0) == '0' || number.length() > 9) return false;
            int k = Integer.parseInt(number);
            for (String v : p.getValue()) segments.computeIfAbsent(k, n -> new ArrayList<>()).add(encoded ? extendedValue(v, k == 0) : v);
        }
        StringBuilder joined = new StringBuilder();
        for (int k = 0; k < segments.size(); k++) {
            List<String> segment = segments.get(k);
            if (segment == null || segment.stream().distinct().count() > 1) return false;
            joined.append(segment.getFirst());
        }
        if (!segments.isEmpty()) forms.add(joined.toString());
        return true;
    }

    /** An RFC 2231 extended value: charset'language' (the first segment only) dropped, %XX decoded as octets. */
    private static String extendedValue(String v, boolean first) {
        if (first) {
            int a = v.indexOf('\'');
            int b = a < 0 ? -1 : v.indexOf('\'', a + 1);
            if (b >= 0) v = v.substring(b + 1);
        }
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            int hi = i + 2 < v.length() ? hexDigit(v.charAt(i + 1)) : -1;
            int lo = hi >= 0 ? hexDigit(v.charAt(i + 2)) : -1;
            if (c == '%' && lo >= 0) {
                out.append((char) (hi * 16 + lo));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * A Content-Type value without its comments split at each ';' outside quoted strings: the media type, then its
     * parameters (RFC 2045 section 5.1), so that a ';' or '=' inside a quoted value is part of that value.
     */
    static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (c == ';' && !quoted) {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        out.add(value.substring(start));
        return out;
    }

    /**
     * The parameters ({@link #split} after the type) by lower-case name, each with every value given to it, unquoted;
     * null when one is no {@code attribute=value} with a token for attribute, such as {@code junk "x;boundary=evil"}:
     * readers split such a list differently (one finds the boundary {@code evil"}, another none), so none of it is
     * read. Empty ones (a ';' at the end, ";;") and bare words without '=' or quotes ({@code format}, a field pasted in
     * as {@code Content-Transfer-Encoding: 8bit}) are skipped: every reader passes over those alike.
     */
    static Map<String, List<String>> parameters(List<String> parts) {
        Map<String, List<String>> out = new HashMap<>();
        for (String part : parts) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq < 0 && part.indexOf('"') < 0) continue;
            String name = eq < 0 ? "" : part.substring(0, eq).trim();
            if (!isToken(name)) return null;
            out.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(unquoted(part.substring(eq + 1).trim()));
        }
        return out;
    }

    /** An RFC 2045 token: printable ASCII without blanks or tspecials, at least one character. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) return false;
        }
        return true;
    }

    /**
     * A parameter value: a quoted string's content as it is, blanks included (backslash escapes undone, what follows
     * its closing quote dropped), or the value as it is.
     */
    private static String unquoted(String v) {
        if (!v.startsWith("\"")) return v;
        StringBuilder out = new StringBuilder(v.length());
        for (int j = 1; j < v.length() && v.charAt(j) != '"'; j++) {
            if (v.charAt(j) == '\\' && j + 1 < v.length()) j++;
            out.append(v.charAt(j));
        }
        return out.toString();
    }
}

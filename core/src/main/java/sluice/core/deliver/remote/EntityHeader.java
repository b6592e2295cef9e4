package sluice.core.deliver.remote;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
 * @param boundary     the multipart boundary, or null when there is none, it is unreadable or too long, or the
 *                     Content-Type value is longer than {@link #MAX_VALUE}
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
                    String plain = withoutComments(value);
                    String t = plain;
                    int semi = t.indexOf(';');
                    if (semi >= 0) t = t.substring(0, semi);
                    t = t.trim().toLowerCase(Locale.ROOT);
                    int slash = t.indexOf('/');
                    type = slash > 0 ? t.substring(0, slash).trim() : null;
                    subtype = slash > 0 ? t.substring(slash + 1).trim() : null;
                    // a value cut short may have its boundary, or a later one, in the part not read: none is taken
                    String b = cut ? null : boundary(plain);
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
     * The boundary parameter, also as RFC 2231 writes it ({@code boundary*=us-ascii''b}, {@code boundary*0="a";
     * boundary*1="b"}), which RFC 2231 readers (Python's email package, Thunderbird) understand. When the plain and
     * the RFC 2231 forms are both there and differ, readers split the message differently (Python takes the plain
     * one, Thunderbird the other): none is taken, so 8-bit content in it is returned rather than converted by a guess.
     */
    static String boundary(String value) {
        String plain = parameter(value, "boundary");
        String extended = parameter(value, "boundary*");
        String rfc2231 = extended != null ? extendedValue(extended, true) : continued(value);
        if (plain != null && rfc2231 != null && !plain.equals(rfc2231)) return null;
        return plain != null ? plain : rfc2231;
    }

    private static String continued(String value) {
        StringBuilder joined = new StringBuilder();
        for (int k = 0; k < 100; k++) {
            String segment = parameter(value, "boundary*" + k);
            String encoded = segment == null ? parameter(value, "boundary*" + k + "*") : null;
            if (segment == null && encoded == null) break;
            joined.append(segment != null ? segment : extendedValue(encoded, k == 0));
        }
        return joined.isEmpty() ? null : joined.toString();
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

    /** A parameter of a Content-Type value without its comments (RFC 2045 section 5.1), unquoted; null when absent. */
    static String parameter(String value, String name) {
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            int eq = value.indexOf('=', i);
            if (eq < 0) return null;
            String n = value.substring(value.lastIndexOf(';', eq) + 1, eq).trim(); // a parameter without "=" is skipped
            int j = eq + 1;
            while (j < value.length() && (value.charAt(j) == ' ' || value.charAt(j) == '\t')) j++;
            StringBuilder v = new StringBuilder();
            if (j < value.length() && value.charAt(j) == '"') {
                for (j++; j < value.length() && value.charAt(j) != '"'; j++) {
                    if (value.charAt(j) == '\\' && j + 1 < value.length()) j++;
                    v.append(value.charAt(j));
                }
                j++;
            } else {
                for (; j < value.length() && value.charAt(j) != ';'; j++) v.append(value.charAt(j));
            }
            if (n.equalsIgnoreCase(name)) return v.toString().trim();
            i = value.indexOf(';', j);
        }
        return null;
    }
}

package sluice.core.filter.spoof.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Macro expansion (RFC 7208 section 7): {@code %{letter digits r delimiters}}, {@code %%},
 * {@code %_}, {@code %-}. Upper-case letters are URL-escaped after expansion (section 7.3). The
 * letters c, r and t exist only in explanation text (section 7.2).
 */
final class SpfMacro {

    /**
     * Supplies the value of a (lower-case) macro letter; called only for letters that occur. May end
     * the evaluation: %{p} costs a DNS look-up that counts against the limit (RFC 7208 section 4.6.4).
     */
    @FunctionalInterface
    interface Values {
        String of(char letter) throws SpfError;
    }

    private static final String DELIMITERS = ".-+,/_=";
    private static final int MAX_PARTS = 128;

    private SpfMacro() {
    }

    /** Throws permerror when {@code s} is not a valid macro-string (explanation text when {@code exp}). */
    static void validate(String s, boolean exp) throws SpfError {
        expand(s, null, exp);
    }

    /** True when {@code s} ends with a complete "%{...}" macro (a domain-end, section 7.1). */
    static boolean endsWithMacro(String s) {
        int open = s.lastIndexOf("%{");
        if (open < 0 || s.indexOf('}', open) != s.length() - 1) return false;
        int percents = 0; // "%%{" is a literal percent followed by '{'
        for (int i = open; i >= 0 && s.charAt(i) == '%'; i--) percents++;
        return percents % 2 == 1;
    }

    /** Expands {@code s}; with null {@code values} only checks the syntax. */
    static String expand(String s, Values values, boolean exp) throws SpfError {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                if (c > 0x7e || c < 0x20 || (c == ' ' && !exp)) throw SpfError.perm("bad character in '" + s + "'");
                out.append(c);
                continue;
            }
            if (i + 1 >= s.length()) throw SpfError.perm("'%' at the end of '" + s + "' (section 7.1)");
            char n = s.charAt(++i);
            switch (n) {
                case '%' -> out.append('%');
                case '_' -> out.append(' ');
                case '-' -> out.append("%20");
                case '{' -> {
                    int close = s.indexOf('}', i);
                    if (close < 0) throw SpfError.perm("unterminated macro in '" + s + "'");
                    out.append(macro(s.substring(i + 1, close), values, exp, s));
                    i = close;
                }
                default -> throw SpfError.perm("'%" + n + "' is not a macro (section 7.1)");
            }
        }
        return out.toString();
    }

    private static String macro(String body, Values values, boolean exp, String whole) throws SpfError {
        if (body.isEmpty()) throw SpfError.perm("empty macro in '" + whole + "'");
        char letter = body.charAt(0);
        char lower = Character.toLowerCase(letter);
        if ("slodiphv".indexOf(lower) < 0 && !(exp && "crt".indexOf(lower) >= 0))
            throw SpfError.perm("'%{" + letter + "' is not a macro letter here (section 7.2)");
        int i = 1;
        while (i < body.length() && Character.isDigit(body.charAt(i))) i++;
        String digits = body.substring(1, i);
        boolean reverse = i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R');
        if (reverse) i++;
        String delimiters = body.substring(i);
        for (char d : delimiters.toCharArray())
            if (DELIMITERS.indexOf(d) < 0) throw SpfError.perm("bad delimiter '" + d + "' in '" + whole + "'");
        int keep = MAX_PARTS;
        if (!digits.isEmpty()) {
            keep = digits.length() > 3 ? MAX_PARTS : Math.min(MAX_PARTS, Integer.parseInt(digits));
            if (keep == 0) throw SpfError.perm("a macro keeps at least one part (section 7.3): '" + whole + "'");
        }
        if (values == null) return "";
        String value = transform(values.of(lower), delimiters.isEmpty() ? "." : delimiters, reverse, keep);
        return Character.isUpperCase(letter) ? urlEscape(value) : value;
    }

    /** Section 7.3: split on the delimiters, optionally reverse, keep the right-most parts, join with dots. */
    private static String transform(String value, String delimiters, boolean reverse, int keep) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        if (reverse) Collections.reverse(parts);
        if (parts.size() > keep) parts = parts.subList(parts.size() - keep, parts.size());
        return String.join(".", parts);
    }

    /** RFC 3986 percent-encoding of everything outside the unreserved set. */
    private static String urlEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) out.append((char) c);
            else out.append('%').append(String.format("%02X", c));
        }
        return out.toString();
    }
}

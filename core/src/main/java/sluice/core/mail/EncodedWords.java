package sluice.core.mail;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * RFC 2047 "B" encoded words for header field values we write (a report's Subject, a subject
 * prefix). An encoded word is at most 75 characters and a line holding one at most 76 (section 2),
 * so a long value becomes several words on folded lines; each word holds whole characters, never
 * part of a UTF-8 sequence (section 5).
 */
public final class EncodedWords {

    private static final int MAX_WORD = 75;
    private static final int MAX_LINE = 76;
    private static final String OPEN = "=?UTF-8?B?";
    private static final String CLOSE = "?=";
    /** The longest word that holds one character of any size: a 4-byte sequence is 8 base64 characters. */
    private static final int MIN_WORD = OPEN.length() + 8 + CLOSE.length();

    private EncodedWords() {
    }

    /** True when {@code s} may stand in a header field as it is: printable ASCII and spaces only. */
    public static boolean isPlain(String s) {
        return s.chars().allMatch(c -> c >= 32 && c < 127);
    }

    /**
     * {@code value} as it is when {@link #isPlain}, else as encoded words separated by CRLF SP.
     *
     * @param used the characters already on the first line ("Subject: " is 9)
     */
    public static String encode(String value, int used) {
        return isPlain(value) ? value : words(value, used);
    }

    /** {@code value} as encoded words separated by CRLF SP, plain or not (text that only looks like an encoded word). */
    public static String words(String value, int used) {
        StringBuilder out = new StringBuilder(value.length() * 2);
        int room = Math.max(MIN_WORD, Math.min(MAX_WORD, MAX_LINE - used));
        int start = 0;
        while (start < value.length()) {
            int end = fill(value, start, room);
            if (start > 0) out.append("\r\n ");
            out.append(OPEN).append(Base64.getEncoder().encodeToString(
                    value.substring(start, end).getBytes(StandardCharsets.UTF_8))).append(CLOSE);
            start = end;
            room = Math.min(MAX_WORD, MAX_LINE - 1); // continuation lines start with one space
        }
        return out.toString();
    }

    /** The end of the longest run of whole characters from {@code start} whose encoded word fits in {@code room}. */
    private static int fill(String s, int start, int room) {
        int bytes = 0;
        int end = start;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int more = utf8Length(cp);
            if (OPEN.length() + base64Length(bytes + more) + CLOSE.length() > room && end > start) break;
            bytes += more;
            end += Character.charCount(cp);
        }
        return end;
    }

    private static int base64Length(int bytes) {
        return (bytes + 2) / 3 * 4;
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}

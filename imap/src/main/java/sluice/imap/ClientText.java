package sluice.imap;

/**
 * Text a client chose (a username, a folder name), made safe to show. In a log line its control
 * characters are escaped: the logger writes values as they are, so a username sent as a literal with a
 * CRLF in it could otherwise write a line of its own ("login ok for ..."). In a response they are
 * replaced: resp-text may hold no CR or LF (RFC 9051 section 9, TEXT-CHAR), and a CRLF in it would end
 * the response early and start one the server never sent.
 */
final class ClientText {

    /** Enough of a name to recognise it; the rest of a 64 KiB literal does not belong in the log. */
    private static final int LOG_CHARS = 256;

    private ClientText() {
    }

    /** {@code text} with control characters and backslashes escaped ({@code \r}, {@code \x00}, {@code \\}), cut at 256 characters. */
    static String forLog(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), LOG_CHARS) + 8);
        for (int i = 0; i < text.length() && i < LOG_CHARS; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (isControl(c)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        if (text.length() > LOG_CHARS) b.append("...");
        return b.toString();
    }

    /** {@code text} with each control character (CR, LF and NUL among them) replaced by '?'. */
    static String forReply(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(isControl(c) ? '?' : c);
        }
        return b.toString();
    }

    /** C0, DEL and C1 controls, and the Unicode line and paragraph separators some log viewers break lines at. */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }
}

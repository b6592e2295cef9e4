package sluice.smtp;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An SMTP reply (RFC 5321 section 4.2) with its enhanced status code (RFC 3463).
 *
 * <p>{@code enhanced} is null only for replies that carry none (220 greeting, 221, 354 and the EHLO
 * response, RFC 2034 section 3). Multi-line replies keep every line's text; the code and enhanced
 * status are written on each line.
 */
public record Reply(int code, String enhanced, List<String> lines) {

    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    public Reply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("reply code out of range: " + code);
        if (enhanced != null) {
            if (!ENHANCED.matcher(enhanced).matches() || enhanced.charAt(0) - '0' != code / 100)
                throw new IllegalArgumentException("bad enhanced status " + enhanced + " for " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) throw new IllegalArgumentException("a reply has at least one line");
        for (String l : lines) {
            Objects.requireNonNull(l);
            if (l.indexOf('\r') >= 0 || l.indexOf('\n') >= 0)
                throw new IllegalArgumentException("reply text must not contain CR or LF");
        }
    }

    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    public static Reply of(int code, String text) {
        return new Reply(code, null, List.of(text));
    }

    public String text() {
        return String.join(" ", lines);
    }

    public boolean isPositive() { return code < 400; }
    public boolean isTransient() { return code >= 400 && code < 500; }
    public boolean isPermanent() { return code >= 500; }

    /** The reply as it goes on the wire, CRLF after each line. */
    public String toWire() {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (enhanced != null) sb.append(enhanced).append(' ');
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    /** One line, for logs and traces: "550 5.7.1 Unable to relay". */
    @Override
    public String toString() {
        return code + (enhanced == null ? "" : " " + enhanced) + " " + text();
    }
}

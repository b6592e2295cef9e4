package sluice.smtp.client;

import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formats MAIL and RCPT with only the parameters the server announced. */
final class Commands {

    private final Capabilities caps;

    Commands(Capabilities caps) {
        this.caps = caps;
    }

    String mail(MailFrom m, long contentLength) {
        StringBuilder sb = new StringBuilder("MAIL FROM:<").append(m.reversePath()).append('>');
        if (caps.size()) sb.append(" SIZE=").append(m.size() >= 0 ? m.size() : contentLength);
        if (m.body() == MailFrom.Body.EIGHT_BIT_MIME && caps.eightBitMime()) sb.append(" BODY=8BITMIME");
        if (m.body() == MailFrom.Body.BINARY_MIME && caps.has("BINARYMIME")) sb.append(" BODY=BINARYMIME");
        if (m.smtpUtf8() && caps.smtpUtf8()) sb.append(" SMTPUTF8");
        if (caps.dsn()) {
            if (m.ret() != null) sb.append(" RET=").append(m.ret().name());
            if (m.envId() != null) sb.append(" ENVID=").append(xtext(m.envId()));
        }
        return sb.toString();
    }

    String rcpt(RcptTo r) {
        StringBuilder sb = new StringBuilder("RCPT TO:<").append(r.forwardPath()).append('>');
        if (caps.dsn()) {
            if (!r.notifyOn().isEmpty())
                sb.append(" NOTIFY=").append(r.notifyOn().stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
            if (r.orcpt() != null) {
                int semi = r.orcpt().indexOf(';');
                String type = semi < 0 ? "rfc822" : r.orcpt().substring(0, semi);
                String addr = semi < 0 ? r.orcpt() : r.orcpt().substring(semi + 1);
                sb.append(" ORCPT=").append(type.toLowerCase(Locale.ROOT)).append(';').append(xtext(addr));
            }
        }
        return sb.toString();
    }

    /** RFC 3461 section 4: "+" and "=" and anything outside printable ASCII as +XX. */
    static String xtext(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') sb.append('+').append(String.format("%02X", c));
            else sb.append((char) c);
        }
        return sb.toString();
    }
}

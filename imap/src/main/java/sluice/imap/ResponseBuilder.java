package sluice.imap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds response bytes: plain text, strings quoted when they can be and sent as literals when
 * they cannot (CR, LF, NUL, 8-bit or long), and NIL for absent values.
 */
final class ResponseBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ResponseBuilder text(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    ResponseBuilder nstring(String s) {
        return s == null ? text("NIL") : string(s);
    }

    ResponseBuilder string(String s) {
        boolean quotable = s.length() < 1000;
        for (int i = 0; quotable && i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0x7e) quotable = false;
        }
        if (!quotable) return literal(s.getBytes(StandardCharsets.UTF_8));
        return text("\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    ResponseBuilder literal(byte[] bytes) {
        text("{" + bytes.length + "}\r\n");
        out.writeBytes(bytes);
        return this;
    }

    ResponseBuilder literal(byte[] raw, int from, int to) {
        text("{" + (to - from) + "}\r\n");
        out.write(raw, from, to - from);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}

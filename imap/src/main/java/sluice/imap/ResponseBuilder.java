package sluice.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Builds response bytes: plain text, strings quoted when they can be and sent as literals when
 * they cannot (CR, LF, NUL, 8-bit or long), and NIL for absent values. A builder with a sink
 * writes literal data straight through to it, so a response carrying large literals is never held
 * in memory whole; text goes out in chunks of {@link #CHUNK} octets, so a long BODYSTRUCTURE is not
 * either. Its methods then throw {@link UncheckedIOException} when the sink fails.
 */
final class ResponseBuilder {

    /** The most text held before it is written to the sink. */
    static final int CHUNK = 16_384;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final OutputStream sink;

    /** Builds in memory; {@link #bytes()} returns the response. */
    ResponseBuilder() {
        this(null);
    }

    /** Writes literal data through to {@code sink}; {@link #flush()} writes the rest. */
    ResponseBuilder(OutputStream sink) {
        this.sink = sink;
    }

    ResponseBuilder text(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        if (sink != null && out.size() >= CHUNK) {
            try {
                flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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
        return literal(bytes, 0, bytes.length);
    }

    ResponseBuilder literal(byte[] raw, int from, int to) {
        text("{" + (to - from) + "}\r\n");
        if (sink == null) {
            out.write(raw, from, to - from);
            return this;
        }
        try {
            flush();
            sink.write(raw, from, to - from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes what is built so far to the sink. */
    void flush() throws IOException {
        out.writeTo(sink);
        out.reset();
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}

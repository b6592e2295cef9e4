package sluice.smtp.server;

import java.io.IOException;

/**
 * Reads DATA content up to the end-of-data line and undoes dot-stuffing (RFC 5321 section 4.5.2).
 *
 * <p>Only CRLF "." CRLF ends the data. A bare CR or LF never ends a line, so none of the smuggling
 * sequences ({@code \n.\n}, {@code \n.\r\n}, {@code \r.\r}, {@code \r\n.\r}, {@code \r\n.\n},
 * {@code \r.\r\n}, {@code \r\n.\r\r\n}, {@code \r\n\0.\r\n}, ...) can end the message early: they stay
 * inside the content, are flagged, and the reader goes on to the real end. The caller then refuses
 * the whole message, so what follows the fake end is never read as commands and never delivered.
 */
final class DataReader {

    record Result(byte[] content, ContentFault fault) {
    }

    private DataReader() {
    }

    /** Reads into {@code sink}, which the caller releases; the content is empty when the sink overflowed or starved. */
    static Result read(WireInput in, ByteSink sink) throws IOException {
        ContentFault.Found found = new ContentFault.Found();
        boolean lineStart = true;
        int lineLength = 0;
        while (true) {
            int b = in.readRequired();
            if (lineStart && b == '.') {
                b = in.readRequired();
                if (b == '\r' && in.peek() == '\n') {
                    in.read();
                    break; // CRLF . CRLF
                }
                // a stuffed dot: drop it and treat b as the line's first octet
            }
            lineStart = false;
            if (b == '\r' && in.peek() == '\n') {
                in.read();
                sink.write('\r');
                sink.write('\n');
                if (lineLength + 2 > ContentFault.MAX_LINE) found.add(ContentFault.LINE_TOO_LONG);
                lineStart = true;
                lineLength = 0;
                continue;
            }
            if (b == '\r' || b == '\n') found.add(ContentFault.BARE_LINE_END);
            else if (b == 0) found.add(ContentFault.NUL);
            sink.write(b);
            lineLength++;
        }
        if (sink.overflowed()) found.add(ContentFault.TOO_BIG);
        if (sink.starved()) found.add(ContentFault.NO_STORAGE);
        return new Result(found.worst() == null ? sink.content() : new byte[0], found.worst());
    }
}

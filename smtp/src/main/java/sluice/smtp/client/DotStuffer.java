package sluice.smtp.client;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message content as DATA (RFC 5321 section 4.5.2): every line ends in CRLF (a bare CR or LF
 * becomes CRLF, so what we send can never smuggle an end of data), a leading dot is doubled, and
 * the content ends with CRLF before the terminating ".CRLF".
 */
final class DotStuffer {

    private DotStuffer() {}

    /** Writes {@code content} with dot-stuffing plus the terminating ".CRLF"; {@code chunk} is called between blocks. */
    static void write(byte[] content, OutputStream out, Runnable chunk) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n = 0;
        boolean lineStart = true;
        for (int i = 0; i < content.length; i++) {
            if (n > buf.length - 4) {
                out.write(buf, 0, n);
                n = 0;
                chunk.run();
            }
            byte b = content[i];
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < content.length && content[i + 1] == '\n') i++;
                buf[n++] = '\r';
                buf[n++] = '\n';
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') buf[n++] = '.';
            buf[n++] = b;
            lineStart = false;
        }
        if (!lineStart) {
            buf[n++] = '\r';
            buf[n++] = '\n';
        }
        out.write(buf, 0, n);
        out.write(new byte[]{'.', '\r', '\n'});
    }
}

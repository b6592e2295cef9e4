package sluice.smtp.client;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes message content as DATA (RFC 5321 section 4.5.2): every line ends in CRLF (a bare CR or LF
 * becomes CRLF, so what we send can never smuggle an end of data), a leading dot is doubled, and
 * the content ends with CRLF before the terminating ".CRLF". A stream, so content can be produced as it
 * is sent; a CR at the end of one write and an LF at the start of the next are one line end.
 */
final class DotStuffer extends OutputStream {

    private final OutputStream out;
    private final Runnable chunk;
    private final byte[] buf = new byte[64 * 1024];
    private int n;
    private boolean lineStart = true;
    /** The last octet was a CR, already written as CRLF: an LF right after it is that same line end. */
    private boolean afterCr;

    /** {@code chunk} is called between blocks written to {@code out}. */
    DotStuffer(OutputStream out, Runnable chunk) {
        this.out = out;
        this.chunk = chunk;
    }

    /** Writes {@code content} with dot-stuffing plus the terminating ".CRLF"; {@code chunk} is called between blocks. */
    static void write(Content content, OutputStream out, Runnable chunk) throws IOException {
        DotStuffer d = new DotStuffer(out, chunk);
        content.writeTo(d);
        d.finish();
    }

    @Override
    public void write(int octet) throws IOException {
        if (n > buf.length - 4) {
            out.write(buf, 0, n);
            n = 0;
            chunk.run();
        }
        byte b = (byte) octet;
        if (b == '\n' && afterCr) {
            afterCr = false;
            return;
        }
        afterCr = b == '\r';
        if (b == '\r' || b == '\n') {
            buf[n++] = '\r';
            buf[n++] = '\n';
            lineStart = true;
            return;
        }
        if (lineStart && b == '.') buf[n++] = '.';
        buf[n++] = b;
        lineStart = false;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    /** Ends the last line and writes the terminating ".CRLF". */
    private void finish() throws IOException {
        if (!lineStart) {
            buf[n++] = '\r';
            buf[n++] = '\n';
        }
        out.write(buf, 0, n);
        n = 0;
        out.write(new byte[]{'.', '\r', '\n'});
    }
}

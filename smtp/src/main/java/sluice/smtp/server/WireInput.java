package sluice.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The session's own read buffer over the socket. Owning the buffer (instead of a BufferedInputStream)
 * lets the session see what a client sent ahead of a reply (pipelining checks, early talkers) and
 * throw away plaintext read before a TLS handshake (RFC 3207 section 4.2, CVE-2011-0411).
 *
 * <p>Before any read that would block, {@code beforeBlock} runs, so pending replies are flushed
 * exactly when the client has nothing more queued (RFC 2920 section 3.1 batching).
 */
final class WireInput {

    /** A command line as read: its octets without the line end, and what was wrong with it. */
    record Line(byte[] octets, boolean tooLong, boolean bareLineEnd, boolean nul) {
    }

    private final byte[] buf = new byte[16 * 1024];
    /** Runs before a read that may block. */
    @FunctionalInterface
    interface BeforeBlock {
        void run() throws IOException;
    }

    private final BeforeBlock beforeBlock;
    private InputStream in;
    private int pos;
    private int lim;

    WireInput(InputStream in, BeforeBlock beforeBlock) {
        this.in = in;
        this.beforeBlock = beforeBlock;
    }

    /** Reads from a new stream (after the TLS handshake); returns how many buffered octets were dropped. */
    int switchTo(InputStream next) {
        int dropped = discardBuffered();
        in = next;
        return dropped;
    }

    int discardBuffered() {
        int dropped = lim - pos;
        pos = lim = 0;
        return dropped;
    }

    /** True when the client has sent octets the session has not consumed yet. */
    boolean hasPending() throws IOException {
        return lim > pos || in.available() > 0;
    }

    /** Waits for input (up to the socket timeout) and returns whether any arrived, consuming nothing. */
    boolean awaitInput() throws IOException {
        return lim > pos || fill();
    }

    int read() throws IOException {
        if (pos == lim && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    int peek() throws IOException {
        if (pos == lim && !fill()) return -1;
        return buf[pos] & 0xff;
    }

    int readRequired() throws IOException {
        int b = read();
        if (b < 0) throw new EOFException("connection closed by client");
        return b;
    }

    /**
     * Reads one line ending in LF. Only CRLF is a proper end: a LF without CR ends the line but marks
     * it, as does a CR not followed by LF anywhere in it. Octets past {@code max} (counted with the
     * line end) are read and dropped. Returns null at end of stream.
     */
    Line readLine(int max) throws IOException {
        byte[] out = new byte[128];
        int n = 0;
        long count = 0;
        boolean prevCr = false, bare = false, nul = false;
        while (true) {
            int b = read();
            if (b < 0) return null;
            count++;
            if (b == '\n') {
                if (prevCr) n--; else bare = true;
                return new Line(Arrays.copyOf(out, Math.max(n, 0)), count > max, bare, nul);
            }
            if (prevCr) bare = true;
            prevCr = b == '\r';
            if (b == 0) nul = true;
            if (count <= max) {
                if (n == out.length) out = Arrays.copyOf(out, n * 2);
                out[n++] = (byte) b;
            }
        }
    }

    /** Reads exactly {@code length} octets, handing them to {@code sink} (which may drop them). */
    void readExactly(long length, ByteSink sink) throws IOException {
        long left = length;
        while (left > 0) {
            if (pos == lim && !fill()) throw new EOFException("connection closed inside a BDAT chunk");
            int take = (int) Math.min(left, lim - pos);
            sink.write(buf, pos, take);
            pos += take;
            left -= take;
        }
    }

    private boolean fill() throws IOException {
        beforeBlock.run();
        int r = in.read(buf, 0, buf.length);
        if (r <= 0) return false;
        pos = 0;
        lim = r;
        return true;
    }
}

package sluice.smtp.server;

import sluice.smtp.Sweeper;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A write timeout for a session's replies. SO_TIMEOUT covers reads only, so a client that pipelines
 * commands and never reads the replies blocks the session in a write for ever, holding its connection
 * slot (and the replies lock). Every write of up to {@link #SLICE} bytes to the socket that has not returned
 * within the timeout (give or take a quarter second) runs {@code onExpiry}, which closes the socket; the write then fails
 * and the session ends. Public because the IMAP listener bounds its responses with it too.
 */
public final class WriteDeadline extends OutputStream {

    /**
     * The streams in a write now, each with when it began; one thread looks at them a few times a second.
     * Cheaper than a timer per write: replies are flushed several times per message on every session.
     */
    private static final Set<WriteDeadline> WRITING = ConcurrentHashMap.newKeySet();
    private static final long SWEEP_MILLIS = 250;
    /** Bytes one deadline covers: a client that takes the timeout to read this much has stalled. */
    static final int SLICE = 64 * 1024;

    static {
        Sweeper.start("smtp-write-deadline", SWEEP_MILLIS, WRITING, WriteDeadline::due, w -> w.onExpiry.run(),
                WriteDeadline.class, "closing a session stuck in a write failed");
    }

    private final OutputStream out;
    private final long timeoutNanos;
    private final Runnable onExpiry;
    private volatile long since;

    public WriteDeadline(OutputStream out, Duration timeout, Runnable onExpiry) {
        this.out = out;
        this.timeoutNanos = timeout.toNanos();
        this.onExpiry = onExpiry;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    /**
     * Writes in slices of at most {@link #SLICE} bytes, each with a deadline of its own: the timeout
     * measures a stalled client, not the length of the transfer. Timed as one write, a 25 MiB IMAP
     * literal (BufferedOutputStream hands large writes straight through) would need a client reading
     * faster than 25 MiB per timeout, and steady slow readers were cut off mid-message.
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        for (int done = 0; done < len; done += SLICE) {
            enter();
            try {
                out.write(b, off + done, Math.min(SLICE, len - done));
            } finally {
                WRITING.remove(this);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        enter();
        try {
            out.flush();
        } finally {
            WRITING.remove(this);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void enter() {
        since = System.nanoTime();
        WRITING.add(this);
    }

    /** Whether {@code w}'s write is older than its timeout, and this sweep took it (the write did not return first). */
    private static boolean due(WriteDeadline w) {
        return System.nanoTime() - w.since > w.timeoutNanos && WRITING.remove(w);
    }
}

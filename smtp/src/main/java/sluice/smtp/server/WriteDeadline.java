package sluice.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A write timeout for a session's replies. SO_TIMEOUT covers reads only, so a client that pipelines
 * commands and never reads the replies blocks the session in a write for ever, holding its connection
 * slot (and the replies lock). Every write to the socket that has not returned within the timeout
 * runs {@code onExpiry}, which closes the socket; the write then fails and the session ends.
 */
final class WriteDeadline extends OutputStream {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final OutputStream out;
    private final long timeoutMillis;
    private final Runnable onExpiry;

    WriteDeadline(OutputStream out, Duration timeout, Runnable onExpiry) {
        this.out = out;
        this.timeoutMillis = timeout.toMillis();
        this.onExpiry = onExpiry;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ScheduledFuture<?> alarm = TIMER.schedule(onExpiry, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(b, off, len);
        } finally {
            alarm.cancel(false);
        }
    }

    @Override
    public void flush() throws IOException {
        ScheduledFuture<?> alarm = TIMER.schedule(onExpiry, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.flush();
        } finally {
            alarm.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "smtp-write-deadline");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // almost every alarm is cancelled: do not keep them queued until due
        return t;
    }
}

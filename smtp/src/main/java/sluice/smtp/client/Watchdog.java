package sluice.smtp.client;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one step on one connection: a whole reply, a command, a block of content, the TLS
 * handshake (RFC 5321 section 4.5.3.2 times steps, not the gaps between bytes). SO_TIMEOUT cannot do
 * it: it bounds each read, so a peer sending a byte now and then keeps one reply coming for as long as
 * it likes (under TLS each socket read inside a record starts it afresh), and it bounds no write at
 * all. When a step overruns, the watchdog closes the TCP socket, which fails the blocked read or write
 * at once; the connection is then unusable, and {@link #fired} tells its owner why.
 *
 * <p>Hazards. It closes the TCP socket, never a TLS socket over it: closing TLS first sends
 * close_notify, which waits for the lock the thread blocked in write holds, so both would hang for
 * good. One timer thread serves every connection of the node, so it must never block at all: it hands
 * the close to a virtual thread of its own.
 */
final class Watchdog {

    private static final ScheduledExecutorService TIMER = timer();

    /**
     * Every step arms and disarms, so a busy node cancels thousands of countdowns a second, each minutes long:
     * cancelled ones leave the queue at once instead of piling up there until their time.
     */
    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "smtp-client-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private final Socket tcp;
    private volatile boolean fired;
    private ScheduledFuture<?> pending;

    /** {@code tcp}: the connection's TCP socket, the one under any TLS layer. */
    Watchdog(Socket tcp) {
        this.tcp = tcp;
    }

    /** Starts the countdown of the next step, or starts it afresh (one more block was written). */
    void arm(Duration timeout) {
        disarm();
        pending = TIMER.schedule(this::fire, Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** The step is over. A watchdog that fired meanwhile has closed the connection all the same. */
    void disarm() {
        if (pending != null) pending.cancel(false);
        pending = null;
    }

    /** Whether a step overran, so the connection was closed for a timeout (and any I/O failure after it is one). */
    boolean fired() {
        return fired;
    }

    private void fire() {
        fired = true;
        Thread.ofVirtual().name("smtp-client-abort").start(() -> abort(tcp));
    }

    /**
     * Closes {@code tcp} at once, discarding what it still has to send (SO_LINGER 0: a reset), so a peer that
     * stopped reading does not keep a full send buffer alive in the kernel. Never blocks.
     */
    static void abort(Socket tcp) {
        try {
            if (!tcp.isClosed()) tcp.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed meanwhile
        }
        try {
            tcp.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

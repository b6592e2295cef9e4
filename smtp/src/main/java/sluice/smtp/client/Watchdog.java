package sluice.smtp.client;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A write timeout. Blocking sockets have none (SO_TIMEOUT covers reads only), so a peer that stops
 * reading would hold a delivery forever; the watchdog closes the socket when a block of content has
 * not been written within the data-block timeout (RFC 5321 section 4.5.3.2.5).
 */
final class Watchdog implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smtp-client-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Socket socket;
    private final Duration timeout;
    private ScheduledFuture<?> pending;

    Watchdog(Socket socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
        reset();
    }

    /** Restarts the countdown: one more block was written. */
    void reset() {
        if (pending != null) pending.cancel(false);
        pending = TIMER.schedule(this::fire, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fire() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        pending.cancel(false);
    }
}

package sluice.smtp.server;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long a session waits for its client: the timeout of the current step (command, greeting delay,
 * DATA), cut during a message transfer to what is left of {@code maxTransferTime}.
 */
final class ReadTimeouts {

    private final SmtpServerConfig config;
    private final SessionState state;
    private Socket socket;
    private int readTimeoutMillis;
    /** True while the socket's timeout is shortened to a transfer's deadline. */
    private boolean clamped;

    ReadTimeouts(SmtpServerConfig config, SessionState state, Socket socket) {
        this.config = config;
        this.state = state;
        this.socket = socket;
    }

    /** Reads from {@code s} from now on (the TLS socket after a handshake). */
    void socket(Socket s) {
        socket = s;
    }

    void set(Duration timeout) throws IOException {
        readTimeoutMillis = (int) timeout.toMillis();
        socket.setSoTimeout(readTimeoutMillis);
        clamped = false;
    }

    /** Content starts to arrive: from now the transaction must be complete within {@code maxTransferTime}. */
    void beginTransfer() {
        if (state.transferring) return;
        state.transferring = true;
        state.transferDeadline = System.nanoTime() + config.maxTransferTime().toNanos();
    }

    /**
     * Before a read that may block: during a transfer the wait is cut to what is left of it. Trickling
     * a byte at a time resets only the per-read timeout, never this.
     */
    void beforeRead() throws IOException {
        if (!state.transferring) {
            if (clamped) set(Duration.ofMillis(readTimeoutMillis));
            return;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(state.transferDeadline - System.nanoTime());
        if (left <= 0) throw new SessionEnd(Replies.timeout(config.hostname()), "transfer took longer than " + config.maxTransferTime());
        if (left < readTimeoutMillis) {
            socket.setSoTimeout((int) left);
            clamped = true;
        }
    }
}

package sluice.imap;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/**
 * The time a connection has to log in, counted from connect, STARTTLS and its handshake included. The
 * read timeout alone is no deadline: a client that sends a NOOP a minute, or trickles a command a byte
 * at a time, never reaches it. When the time is up, the TCP input is shut: the session's read ends
 * (EOF, or a TLS error) whatever it is waiting in, while the output stays open for the BYE.
 */
final class LoginDeadline {

    private final Thread timer;
    private volatile boolean expired;

    /** Starts the clock for the connection on {@code tcp}, the socket as accepted (under any TLS). */
    LoginDeadline(Duration limit, Socket tcp) {
        timer = Thread.ofVirtual().name("imap-login-deadline").start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return; // logged in, or gone
            }
            expired = true;
            try {
                tcp.shutdownInput();
            } catch (IOException ignored) {
                // the connection is closed already
            }
        });
    }

    /** Stops the clock: the client logged in, or the session is over. */
    void stop() {
        timer.interrupt();
    }

    /** True once the time ran out before {@link #stop}. */
    boolean expired() {
        return expired;
    }
}

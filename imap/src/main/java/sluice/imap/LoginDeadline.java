package sluice.imap;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The time a connection has to log in, counted from connect, STARTTLS and its handshake included. The
 * read timeout alone is no deadline: a client that sends a NOOP a minute, or trickles a command a byte
 * at a time, never reaches it. When the time is up, the TCP input is shut: the session's read ends
 * (EOF, or a TLS error) whatever it is waiting in, while the output stays open for the BYE.
 * <p>
 * Expiry and login race: a login may be waiting for a password check when the time runs out. Exactly
 * one of them wins ({@link #stop} says which), so a client is never told it logged in on a connection
 * that is being closed.
 */
final class LoginDeadline {

    private enum State { RUNNING, EXPIRED, STOPPED }

    private final Thread timer;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

    /** Starts the clock for the connection on {@code tcp}, the socket as accepted (under any TLS). */
    LoginDeadline(Duration limit, Socket tcp) {
        timer = Thread.ofVirtual().name("imap-login-deadline").start(() -> {
            try {
                Thread.sleep(limit);
            } catch (InterruptedException e) {
                return; // logged in, or gone
            }
            if (!state.compareAndSet(State.RUNNING, State.EXPIRED)) return;
            try {
                tcp.shutdownInput();
            } catch (IOException ignored) {
                // the connection is closed already
            }
        });
    }

    /** Stops the clock: the client logged in, or the session is over. False when the time had run out first. */
    boolean stop() {
        timer.interrupt();
        return state.compareAndSet(State.RUNNING, State.STOPPED) || state.get() == State.STOPPED;
    }

    /** True once the time ran out before {@link #stop}. */
    boolean expired() {
        return state.get() == State.EXPIRED;
    }
}

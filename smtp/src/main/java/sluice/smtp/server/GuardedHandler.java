package sluice.smtp.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.smtp.Reply;
import sluice.smtp.SessionHandler;
import sluice.smtp.TlsInfo;

import java.util.function.Supplier;

/**
 * A session's handler behind a guard: what it throws is logged, never sent, and becomes a temporary
 * failure or the end of the session, as each call says.
 */
final class GuardedHandler {

    /** The session's logger: operators filter on its name. */
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final SessionHandler handler;
    private final SessionState state;
    private final String sessionId;
    private final String hostname;

    GuardedHandler(SessionHandler handler, SessionState state, String sessionId, String hostname) {
        this.handler = handler;
        this.state = state;
        this.sessionId = sessionId;
        this.hostname = hostname;
    }

    /** The handler itself, for the calls made through {@link #ask}. */
    SessionHandler handler() {
        return handler;
    }

    /** The handler's greeting (null for the default); a handler that throws ends the session with {@code 421 4.3.0}. */
    Reply connect() {
        try {
            return handler.connect();
        } catch (RuntimeException e) {
            log.warn("smtp {} handler failed at connect", sessionId, e);
            throw new SessionEnd(Replies.internalError(hostname), "handler failed at connect");
        }
    }

    /** Tells the handler TLS is on, and after STARTTLS ({@code reset}) that the session starts over. */
    void tlsStarted(TlsInfo tls, boolean reset) {
        try {
            handler.tlsStarted(tls);
            if (reset) handler.reset();
        } catch (RuntimeException e) {
            log.warn("smtp {} handler failed after TLS handshake", sessionId, e);
            throw new SessionEnd(Replies.internalError(hostname), "handler failed at tlsStarted");
        }
    }

    /**
     * Asks the handler. A handler that throws or answers null is answered {@code 451 4.3.0} and the
     * transaction is reset: an unknown failure is temporary. The exception is logged, never sent.
     */
    Reply ask(String what, Supplier<Reply> call) {
        try {
            Reply r = call.get();
            if (r == null) throw new IllegalStateException("handler returned null for " + what);
            return r;
        } catch (RuntimeException e) {
            log.warn("smtp {} handler failed at {}", sessionId, what, e);
            resetTransaction();
            return Replies.TEMPORARY_FAILURE;
        }
    }

    void resetTransaction() {
        state.resetTransaction();
        try {
            handler.reset();
        } catch (RuntimeException e) {
            log.warn("smtp {} handler failed at reset", sessionId, e);
        }
    }

    void close() {
        if (handler == null) return; // a factory that gave no handler: nothing to close
        try {
            handler.close();
        } catch (RuntimeException e) {
            log.warn("smtp {} handler failed at close", sessionId, e);
        }
    }
}

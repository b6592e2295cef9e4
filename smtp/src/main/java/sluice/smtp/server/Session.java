package sluice.smtp.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.smtp.ClientNetwork;
import sluice.smtp.ConnectionInfo;
import sluice.smtp.Reply;
import sluice.smtp.SessionHandler;
import sluice.smtp.SessionHandlerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One SMTP connection on its own virtual thread: greeting, the command loop, TLS, timeouts, the
 * error budget and shutdown. What each command does is in {@link Protocol}, {@link MessageReceiver}
 * and {@link AuthExchange}; replies go out through {@link ReplyChannel}, waits are bounded by
 * {@link ReadTimeouts}, and the handler is called through {@link GuardedHandler}.
 *
 * <p>Connection-level refusals, all followed by closing the connection:
 * <ul>
 * <li>data before the greeting (early talker): {@code 554 5.5.0};</li>
 * <li>a bare CR or LF in a command line: {@code 554 5.5.2} (framing is ambiguous from then on);</li>
 * <li>no command (or no DATA/BDAT block) within the timeout, or a message whose transfer takes longer
 * than {@code maxTransferTime}: {@code 421 4.4.2};</li>
 * <li>more errors than the {@link ErrorBudget} allows: {@code 421 4.7.0} instead of the next error reply;
 * past its soft limit each error reply waits {@code errorDelay} first;</li>
 * <li>shutdown while idle: {@code 421 4.3.2}; a handler that fails at connect or TLS: {@code 421 4.3.0}.</li>
 * </ul>
 * A reply that cannot be written within {@code commandTimeout} (a client that sends but does not
 * read) closes the connection without a word: there is no way left to say one.
 * A transaction in progress is finished before a shutdown closes the session (up to the grace).
 */
final class Session implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    /** RFC 4954 section 4: AUTH lines may be up to 12288 octets; every other command 512. */
    static final int MAX_AUTH_LINE = 12288;

    final SmtpServerConfig config;
    final ConnectionInfo info;
    final SessionState state = new SessionState();
    private final SessionHandlerFactory factory;
    private final BufferBudget budget;
    private final ClientNetwork client;
    private final ErrorBudget errors;
    private final BooleanSupplier shuttingDown;
    private final Runnable onClose;
    private final ReplyChannel replies;
    private final ReadTimeouts timeouts;
    private volatile Socket socket;
    private WireInput in;
    private GuardedHandler handler;
    private volatile Thread thread;
    int accepted;

    Session(SmtpServerConfig config, ConnectionInfo info, Socket socket, SessionHandlerFactory factory,
            BufferBudget budget, BooleanSupplier shuttingDown, Runnable onClose) {
        this.config = config;
        this.info = info;
        this.socket = socket;
        this.replies = new ReplyChannel(socket, config.commandTimeout());
        this.timeouts = new ReadTimeouts(config, state, socket);
        this.factory = factory;
        this.budget = budget;
        this.client = ClientNetwork.of(info.remote().getAddress());
        this.errors = new ErrorBudget(config.maxErrors());
        this.shuttingDown = shuttingDown;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        String end = "client quit";
        log.info("smtp {} open from {} to {}", info.sessionId(), info.remote(), info.local());
        try {
            in = new WireInput(socket.getInputStream(), this::beforeRead);
            replies.attach(socket);
            setTimeout(config.commandTimeout());
            if (config.implicitTls()) startTls();
            handler = new GuardedHandler(factory.open(info), state, info.sessionId(), config.hostname());
            if (state.tls != null) handler.tlsStarted(state.tls, false); // implicit TLS: the handshake came first
            greet();
            Protocol protocol = new Protocol(this);
            WireInput.Line line;
            while ((line = nextCommand()) != null && protocol.handle(line)) {
                // one command per turn
            }
            if (line == null) end = replies.closedByServer() ? "closed by server" : "client disconnected";
        } catch (SessionEnd e) {
            end = e.getMessage();
            if (e.reply() != null) replies.trySend(e.reply());
        } catch (SocketTimeoutException e) {
            end = "timeout";
            replies.trySend(Replies.timeout(config.hostname()));
        } catch (IOException e) {
            end = replies.writeTimedOut() ? "client does not read its replies"
                    : replies.closedByServer() ? "closed by server" : "i/o: " + e.getMessage();
        } catch (RuntimeException e) {
            end = "internal error";
            log.error("smtp {} failed", info.sessionId(), e);
            replies.trySend(Replies.internalError(config.hostname()));
        } finally {
            finish(start, end);
        }
    }

    private void greet() throws IOException {
        Reply greeting = handler.connect();
        if (earlyTalker()) throw new SessionEnd(Replies.earlyTalker(config.hostname()), "early talker");
        if (greeting != null && !greeting.isPositive()) throw new SessionEnd(greeting, "refused at connect: " + greeting);
        send(greeting != null ? greeting : Replies.greeting(config.hostname()));
    }

    /** RFC 5321 section 4.3.1: the client must wait for the greeting; a client that does not is a spam engine. */
    private boolean earlyTalker() throws IOException {
        if (config.greetingDelay().isZero()) return in.hasPending();
        setTimeout(config.greetingDelay());
        try {
            return in.awaitInput();
        } catch (SocketTimeoutException quiet) {
            return false;
        } finally {
            setTimeout(config.commandTimeout());
        }
    }

    /** The next command line, or null when the client left or a shutdown closed the idle session. */
    private WireInput.Line nextCommand() throws IOException {
        BooleanSupplier closeNow = () -> shuttingDown.getAsBoolean() && !state.inTransaction();
        if (!replies.awaitCommand(closeNow, Replies.shuttingDown(config.hostname()))) return null;
        WireInput.Line line;
        try {
            line = in.readLine(MAX_AUTH_LINE);
        } catch (IOException e) {
            if (replies.closedByServer()) return null;
            throw e;
        } finally {
            replies.commandArrived();
        }
        return replies.closedByServer() ? null : line;
    }

    /**
     * Called by the server on shutdown, once {@code shuttingDown} says so; returns at once. An idle session is
     * told so and closed; a busy one finishes first and is told at its next command boundary ({@link #nextCommand}).
     *
     * <p>Who tells an idle session is decided under the replies lock, which a session also holds to flush its
     * replies before it waits for a command. Giving up when the lock is taken (as this once did) passed by a
     * session flushing its last reply: it went on to wait for a command nobody would send and was cut at the
     * end of the grace without a word. So when the lock is free the decision is made now; when it is taken, a
     * thread of its own waits for it and decides after that flush (the server has other sessions to close, and
     * a client that does not read can hold the lock until the write deadline).
     *
     * @return that thread, which the server waits for before it cuts anyone; null when decided already
     */
    Thread shutdownIfIdle() {
        return replies.tellIfIdle("smtp-shutdown-" + info.sessionId(), state::inTransaction,
                Replies.shuttingDown(config.hostname()), this::closeSocket);
    }

    /** Called by the server when the shutdown grace is over. */
    void forceClose() {
        replies.closeByServer();
        closeSocket();
    }

    void bind(Thread sessionThread) {
        thread = sessionThread;
    }

    Thread thread() {
        return thread;
    }

    // ---- services for the command classes ----

    WireInput in() {
        return in;
    }

    SessionHandler handler() {
        return handler.handler();
    }

    void send(Reply reply) throws IOException {
        replies.send(reply);
    }

    /** A message was accepted: the error budget since the last one starts again ({@link ErrorBudget#forgive}). */
    void accepted() {
        accepted++;
        errors.forgive();
    }

    /** Sends a protocol-error reply, or ends the session once the client has used up its error budget. */
    void error(Reply reply) throws IOException {
        if (errors.spend()) throw new SessionEnd(Replies.tooManyErrors(config.hostname()), "too many errors");
        if (errors.slow()) slowDown();
        send(reply);
    }

    /** Sends the handler's answer; a permanent refusal counts as an error (a probe for what exists). */
    void answer(Reply reply) throws IOException {
        if (reply.isPermanent()) error(reply);
        else send(reply);
    }

    private void slowDown() throws IOException {
        if (config.errorDelay().isZero()) return;
        replies.flush(); // the replies so far go out now, not after the pause
        try {
            Thread.sleep(config.errorDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionEnd(Replies.tooManyErrors(config.hostname()), "interrupted while slowing down errors");
        }
    }

    /** Asks the handler; a failure is {@code 451 4.3.0} and resets the transaction ({@link GuardedHandler#ask}). */
    Reply ask(String what, Supplier<Reply> call) {
        return handler.ask(what, call);
    }

    void resetTransaction() {
        handler.resetTransaction();
    }

    void setTimeout(Duration timeout) throws IOException {
        timeouts.set(timeout);
    }

    /** A buffer for one message's content, drawing on the node's budget; released when the transaction ends. */
    ByteSink messageSink() {
        return new ByteSink(config.maxMessageSize(), budget, client);
    }

    /** Content starts to arrive: from now the transaction must be complete within {@code maxTransferTime}. */
    void beginTransfer() {
        timeouts.beginTransfer();
    }

    /** Before a read that may block: pending replies go out, and during a transfer the wait is cut ({@link ReadTimeouts}). */
    private void beforeRead() throws IOException {
        replies.flush();
        timeouts.beforeRead();
    }

    /**
     * Upgrades to TLS. Octets the client sent after STARTTLS were read as plaintext and are dropped
     * before the handshake (RFC 3207 section 4.2, CVE-2011-0411), and the session starts over.
     */
    void startTls() throws IOException {
        replies.flush();
        SSLSocket ssl = TlsUpgrade.handshake(config.sslContext(), socket, config.commandTimeout());
        socket = ssl;
        timeouts.socket(ssl);
        int dropped = in.switchTo(ssl.getInputStream());
        if (dropped > 0) log.info("smtp {} dropped {} octets sent in plaintext after STARTTLS", info.sessionId(), dropped);
        replies.attach(ssl);
        state.resetForTls(TlsUpgrade.info(ssl));
        if (handler != null) handler.tlsStarted(state.tls, true); // implicit TLS: the handler is told after it is created
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void finish(long start, String end) {
        try {
            replies.flush();
        } catch (IOException ignored) {
            // the client is gone, or a shutdown closed the socket already
        }
        state.resetTransaction(); // gives buffered content back to the budget
        if (handler != null) handler.close();
        onClose.run(); // before the socket closes, so a client that sees the close can connect again
        closeSocket();
        log.info("smtp {} closed from {} after {} ms, {} messages accepted: {}", info.sessionId(), info.remote(),
                (System.nanoTime() - start) / 1_000_000, accepted, end);
    }
}

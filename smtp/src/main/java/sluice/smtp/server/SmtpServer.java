package sluice.smtp.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.smtp.ConnectionInfo;
import sluice.smtp.Reply;
import sluice.smtp.SessionHandlerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An SMTP listener: accepts connections, enforces the connection limits, and runs each session on
 * its own virtual thread. {@link #start()} returns once the socket is bound; {@link #shutdown}
 * stops accepting, closes idle sessions with 421 4.3.2, lets transactions in progress finish
 * within the grace period and then closes whatever is left.
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);
    private static final Duration LAST_WAIT = Duration.ofSeconds(5);

    private final SmtpServerConfig config;
    private final SessionHandlerFactory factory;
    private final ConnectionLimits limits;
    private final BufferBudget budget;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final SecureRandom random = new SecureRandom();
    private ServerSocket listener;
    private Thread acceptor;

    /** A server with a buffer budget of its own, a quarter of the heap. */
    public SmtpServer(SmtpServerConfig config, SessionHandlerFactory factory) {
        this(config, factory, BufferBudget.quarterOfHeap());
    }

    /** A server whose sessions buffer messages within {@code budget}, which a node shares between its listeners. */
    public SmtpServer(SmtpServerConfig config, SessionHandlerFactory factory, BufferBudget budget) {
        this.config = config;
        this.factory = factory;
        this.budget = budget;
        this.limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp());
    }

    /** Binds and starts accepting; returns once the port is bound. */
    public synchronized SmtpServer start() throws IOException {
        if (listener != null) throw new IllegalStateException("already started");
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(config.bindAddress(), config.port()), 256);
        acceptor = Thread.ofVirtual().name("smtp-accept-" + port()).start(this::acceptLoop);
        log.info("smtp listening on {} (STARTTLS {}, implicit TLS {}, AUTH {})", listener.getLocalSocketAddress(),
                config.startTlsAvailable(), config.implicitTls(), config.authEnabled());
        return this;
    }

    /** The bound port (useful when configured with port 0). */
    public int port() {
        return listener.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    public SmtpServerConfig config() {
        return config;
    }

    /** Number of open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Shuts down without waiting for transactions in progress. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    /** Stops accepting, lets transactions in progress finish for up to {@code grace}, then closes every session. */
    public void shutdown(Duration grace) {
        if (!shuttingDown.compareAndSet(false, true) || listener == null) return;
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            listener.close();
            acceptor.join(LAST_WAIT);
        } catch (IOException | InterruptedException e) {
            log.warn("smtp listener did not stop cleanly: {}", e.toString());
        }
        List<Session> open = List.copyOf(sessions);
        List<Thread> telling = open.stream().map(Session::shutdownIfIdle).filter(Objects::nonNull).toList();
        // Idle sessions are told before anyone is cut, even without grace: a session caught flushing a reply is
        // told as soon as it is done (only a client that does not read can make this wait, LAST_WAIT at most).
        long told = Math.max(deadline, System.nanoTime() + LAST_WAIT.toNanos());
        for (Thread t : telling) joinUntil(t, told);
        for (Session s : open) joinUntil(s, deadline);
        open.forEach(Session::forceClose);
        for (Session s : open) joinUntil(s, System.nanoTime() + LAST_WAIT.toNanos());
        log.info("smtp listener on port {} stopped", listener.getLocalPort());
    }

    private static void joinUntil(Session s, long deadline) {
        joinUntil(s.thread(), deadline);
    }

    private static void joinUntil(Thread t, long deadline) {
        long left = deadline - System.nanoTime();
        if (t == null || left <= 0) return;
        try {
            t.join(Duration.ofNanos(left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!shuttingDown.get()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!shuttingDown.get()) log.error("smtp accept failed on port {}", port(), e);
                if (listener.isClosed()) return;
                continue;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        InetAddress address = socket.getInetAddress();
        switch (limits.admit(address)) {
            case ADMITTED -> startSession(socket, address);
            case TOO_MANY -> refuse(socket, Replies.tooManyConnections(config.hostname()));
            case TOO_MANY_FROM_ADDRESS -> refuse(socket, Replies.tooManyConnectionsFromIp(config.hostname()));
        }
    }

    private void startSession(Socket socket, InetAddress address) {
        String id = HexFormat.of().toHexDigits(random.nextLong()).toUpperCase();
        ConnectionInfo info = new ConnectionInfo(id, (InetSocketAddress) socket.getRemoteSocketAddress(),
                (InetSocketAddress) socket.getLocalSocketAddress(), Instant.now(), config.implicitTls());
        Session[] self = new Session[1];
        self[0] = new Session(config, info, socket, factory, budget, shuttingDown::get, () -> {
            sessions.remove(self[0]);
            limits.release(address);
        });
        sessions.add(self[0]);
        Thread thread = Thread.ofVirtual().name("smtp-" + id).unstarted(self[0]);
        self[0].bind(thread);
        thread.start();
    }

    /** Over a limit: say so and close, on a thread of its own so a slow client cannot stall accepting. */
    private void refuse(Socket socket, Reply reply) {
        log.info("smtp refused {}: {}", socket.getRemoteSocketAddress(), reply);
        Thread.ofVirtual().start(() -> {
            try (socket; OutputStream out = socket.getOutputStream()) {
                socket.setSoTimeout(10_000);
                out.write(reply.toWire().getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException ignored) {
                // the client went away first
            }
        });
    }
}

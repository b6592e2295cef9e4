package sluice.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.smtp.server.BufferBudget;
import sluice.smtp.server.ConnectionLimits;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * An IMAP listener: accepts connections, enforces the total and per-client connection limits
 * ({@link ConnectionLimits}, which count clients as SMTP does: an IPv6 /64 is one client, an IPv4
 * address seen through NAT64 or IPv4-mapped is that address), and runs each session on its own
 * virtual thread. {@link #start()} returns once the socket is bound; {@link #close()} stops
 * accepting and closes every session (IMAP has no transaction to finish: every change is already
 * durable when its command completes). Messages held whole in memory (APPEND's, and the stored ones
 * FETCH and SEARCH read) are held within the node's {@link BufferBudget}.
 */
public final class ImapServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapServer.class);

    private final ImapServerConfig config;
    private final HostedMail mail;
    private final Login login;
    private final ConnectionLimits limits;
    private final BufferBudget budget;
    private final LongSupplier nanos;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private ServerSocket listener;
    private Thread acceptor;

    /** A server with a buffer budget of its own, a quarter of the heap. */
    public ImapServer(ImapServerConfig config, HostedMail mail) {
        this(config, mail, BufferBudget.quarterOfHeap());
    }

    /** A server whose APPEND, FETCH and SEARCH messages are held within {@code budget}, which a node shares with its SMTP listeners. */
    public ImapServer(ImapServerConfig config, HostedMail mail, BufferBudget budget) {
        this(config, mail, budget, System::nanoTime);
    }

    /** As above, sessions telling elapsed time by {@code nanos} (monotonic, like {@link System#nanoTime}; tests step it). */
    ImapServer(ImapServerConfig config, HostedMail mail, BufferBudget budget, LongSupplier nanos) {
        this.nanos = nanos;
        this.config = config;
        this.mail = mail;
        this.budget = budget;
        this.login = new Login(mail);
        this.limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp());
    }

    public synchronized ImapServer start() throws IOException {
        if (listener != null) throw new IllegalStateException("already started");
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(config.bindAddress(), config.port()), 128);
        acceptor = Thread.ofVirtual().name("imap-accept-" + port()).start(this::acceptLoop);
        LOG.info("imap listening on {} ({})", listener.getLocalSocketAddress(), config.implicitTls() ? "implicit TLS" : "STARTTLS");
        return this;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int sessionCount() {
        return open.size();
    }

    public long successfulLogins() {
        return login.succeeded.get();
    }

    public long failedLogins() {
        return login.failed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || listener == null) return;
        try {
            listener.close();
            acceptor.join(Duration.ofSeconds(5));
        } catch (IOException | InterruptedException e) {
            LOG.warn("imap listener did not stop cleanly: {}", e.toString());
        }
        for (Socket s : List.copyOf(open)) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        LOG.info("imap listener on port {} stopped", listener.getLocalPort());
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) return;
                LOG.error("imap accept failed on port {}", port(), e);
                continue;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        InetAddress address = socket.getInetAddress();
        switch (limits.admit(address)) {
            case ADMITTED -> startSession(socket, address);
            case TOO_MANY -> refuse(socket, "* BYE Too many connections; try again later");
            case TOO_MANY_FROM_ADDRESS -> refuse(socket, "* BYE Too many connections from your address; try again later");
        }
    }

    private void startSession(Socket socket, InetAddress address) {
        open.add(socket);
        ImapSession session = new ImapSession(config, mail, login, socket, budget, nanos, () -> {
            open.remove(socket);
            limits.release(address);
        });
        Thread.ofVirtual().name("imap-" + address.getHostAddress()).start(session);
    }

    /** Over a limit: say so (in plaintext, or nothing for implicit TLS) and close, off the accepting thread. */
    private void refuse(Socket socket, String bye) {
        LOG.info("imap refused {}: {}", socket.getRemoteSocketAddress(), bye.substring(6));
        Thread.ofVirtual().start(() -> {
            try (socket; OutputStream out = socket.getOutputStream()) {
                if (!config.implicitTls()) out.write((bye + "\r\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // the client went away first
            }
        });
    }
}

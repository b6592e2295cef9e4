package sluice.smtp.testing;

import sluice.smtp.Reply;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process SMTP server for tests: accepts everything by default and records what it received.
 * Blocking, one virtual thread per connection; not the product server.
 *
 * <pre>{@code
 * try (SmtpSink sink = SmtpSink.on("127.0.0.5").tls(identity).start()) {
 *     sink.replyToRcpt("bad@example.com", Reply.of(550, "5.1.1", "No such user"));
 *     ... deliver to sink.port() ...
 *     List<SinkMessage> got = sink.awaitMessages(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * Behaviour can be changed while running; it applies to commands received afterwards.
 */
public final class SmtpSink implements AutoCloseable {

    /** Where {@link #dropAt} closes the connection without a reply. */
    public enum Phase { GREETING, EHLO, STARTTLS, MAIL, RCPT, DATA, DATA_END }

    private final ServerSocket server;
    private final SSLContext tls;
    final String hostname;
    final Set<String> extensions;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<SinkMessage> messages = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger peakSessions = new AtomicInteger();

    final Map<String, Reply> rcptReplies = new ConcurrentHashMap<>();
    volatile Reply greeting;
    volatile Reply mailReply;
    volatile Reply dataCommandReply;
    volatile Reply dataReply;
    volatile Reply startTlsReply;
    volatile Reply ehloReply;
    volatile Phase dropAt;
    volatile CountDownLatch dataGate;

    private SmtpSink(Builder b) throws IOException {
        this.hostname = b.hostname;
        this.extensions = new LinkedHashSet<>(b.extensions);
        this.tls = b.identity == null ? null : serverContext(b.identity);
        if (tls == null) extensions.remove("STARTTLS");
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(b.address), b.port), 200);
        Thread.ofVirtual().name("smtp-sink-" + port()).start(this::acceptLoop);
    }

    public static Builder on(String address) {
        return new Builder(address);
    }

    /** A plaintext sink on {@code address} and a free port. */
    public static SmtpSink start(String address) {
        return on(address).start();
    }

    public static final class Builder {
        private final String address;
        private int port;
        private TestCertificates.Identity identity;
        private String hostname = "sink.test";
        private final Set<String> extensions = new LinkedHashSet<>(List.of(
                "PIPELINING", "SIZE 104857600", "8BITMIME", "SMTPUTF8", "DSN", "ENHANCEDSTATUSCODES", "STARTTLS"));

        private Builder(String address) { this.address = address; }

        public Builder port(int port) { this.port = port; return this; }
        /** Offer STARTTLS presenting {@code identity}. */
        public Builder tls(TestCertificates.Identity identity) { this.identity = identity; return this; }
        public Builder hostname(String hostname) { this.hostname = hostname; return this; }
        /** Do not announce the EHLO keyword {@code keyword} (e.g. "PIPELINING", "SMTPUTF8", "SIZE"). */
        public Builder without(String keyword) {
            extensions.removeIf(e -> e.split(" ")[0].equalsIgnoreCase(keyword));
            return this;
        }
        public Builder maxSize(long bytes) { without("SIZE"); extensions.add("SIZE " + bytes); return this; }

        public SmtpSink start() {
            try {
                return new SmtpSink(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the SMTP sink on " + address + ":" + port, e);
            }
        }
    }

    // ---- behaviour -------------------------------------------------------------------------

    public SmtpSink replyToRcpt(String address, Reply reply) { rcptReplies.put(address.toLowerCase(Locale.ROOT), reply); return this; }
    public SmtpSink replyToMail(Reply reply) { mailReply = reply; return this; }
    /** Replaces the 354 to DATA. */
    public SmtpSink replyToDataCommand(Reply reply) { dataCommandReply = reply; return this; }
    /** Replaces the 250 after the final dot (the message is then not recorded unless the reply is positive). */
    public SmtpSink replyToData(Reply reply) { dataReply = reply; return this; }
    public SmtpSink replyToStartTls(Reply reply) { startTlsReply = reply; return this; }
    /** Replies this to EHLO instead of 250 (a 5xx makes a client fall back to HELO). */
    public SmtpSink replyToEhlo(Reply reply) { ehloReply = reply; return this; }
    public SmtpSink greeting(Reply reply) { greeting = reply; return this; }
    /** Closes the connection without a reply when {@code phase} is reached (null: never). */
    public SmtpSink dropAt(Phase phase) { dropAt = phase; return this; }
    /** Holds the reply after the final dot until {@code gate} opens (null: no hold). */
    public SmtpSink holdDataUntil(CountDownLatch gate) { dataGate = gate; return this; }

    // ---- observation -----------------------------------------------------------------------

    public int port() { return server.getLocalPort(); }
    public String address() { return server.getInetAddress().getHostAddress(); }
    /** "127.0.0.5:40211", the form a smart host is written in. */
    public String hostPort() { return address() + ":" + port(); }
    /** Connections accepted so far. */
    public int connections() { return connections.get(); }
    /** Sessions open now. */
    public int openSessions() { return sessions.get(); }
    /** The most sessions that were open at once. */
    public int peakSessions() { return peakSessions.get(); }

    public List<SinkMessage> messages() {
        synchronized (messages) { return List.copyOf(messages); }
    }

    /** Waits until at least {@code n} messages have arrived; fails with what did arrive otherwise. */
    public List<SinkMessage> awaitMessages(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (messages.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("expected " + n + " messages at " + hostPort() + " within "
                        + timeout + ", got " + messages.size());
                messages.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(messages);
        }
    }

    void record(SinkMessage m) {
        synchronized (messages) {
            messages.add(m);
            messages.notifyAll();
        }
    }

    SSLContext tlsContext() { return tls; }

    /** Closes every open session (as a server timing out idle clients would) but keeps listening. */
    public void disconnectAll() {
        for (Socket s : open) SinkSession.closeQuietly(s);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) SinkSession.closeQuietly(s);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            int n = connections.incrementAndGet();
            open.add(s);
            Thread.ofVirtual().start(() -> {
                peakSessions.accumulateAndGet(sessions.incrementAndGet(), Math::max);
                try {
                    new SinkSession(this, s, n).run();
                } finally {
                    sessions.decrementAndGet();
                    open.remove(s);
                    SinkSession.closeQuietly(s);
                }
            });
        }
    }

    private static SSLContext serverContext(TestCertificates.Identity id) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(id.keyManagers(), new TrustManager[]{new AnyClient()}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Requests a client certificate and records whatever is presented; verification is the test's. */
    private static final class AnyClient implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}

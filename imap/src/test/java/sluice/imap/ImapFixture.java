package sluice.imap;

import sluice.core.mail.Address;
import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxStore;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;
import sluice.core.receive.SubmissionLimits;
import sluice.core.testing.MemoryDirectory;
import sluice.smtp.ClientNetwork;
import sluice.smtp.server.BufferBudget;
import sluice.smtp.server.ServerTlsContext;
import sluice.smtp.testing.TestCertificates;
import sluice.store.EmbeddedStore;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/** A listener over the real SQL store, an in-memory directory and a throw-away certificate. */
final class ImapFixture implements AutoCloseable {

    static final Passwords CHEAP = new Passwords(64, 1, 1); // fast tests; production uses OWASP's parameters
    static final TestCertificates.Identity SERVER = TestCertificates.selfSigned("imap.sluice.test", "imap.sluice.test", "localhost");
    static final String PASSWORD = "correct horse battery";

    final EmbeddedStore store;
    final MemoryDirectory directory = new MemoryDirectory();
    /** The node's login limits, as SMTP AUTH shares them: 3 failures per client, a login waits 2 s for a password check. */
    final SubmissionLimits logins = new SubmissionLimits(30, Duration.ofMinutes(1), 3, Duration.ofMinutes(10), Duration.ofSeconds(2));
    final ImapServer server;
    final ImapServer tlsServer;

    ImapFixture(Path dir, Duration idleTimeout, Duration idlePoll) throws IOException {
        this(dir, idleTimeout, idlePoll, Duration.ofMinutes(1), UnaryOperator.identity());
    }

    /** {@code wrap} sees (and may count) every read of message content. */
    ImapFixture(Path dir, Duration idleTimeout, Duration idlePoll, Duration loginTimeout, UnaryOperator<MailboxStore> wrap)
            throws IOException {
        this(dir, idleTimeout, idlePoll, loginTimeout, wrap, UnaryOperator.identity(), BufferBudget.quarterOfHeap(),
                InstantSource.system(), System::nanoTime, UnaryOperator.identity());
    }

    /**
     * IDLE polls every {@code idlePoll}; sessions tell the time by {@code clock} and elapsed time by {@code nanos}
     * (monotonic); {@code wrapFolders} sees every folder read and write.
     */
    ImapFixture(Path dir, Duration idlePoll, InstantSource clock, LongSupplier nanos, UnaryOperator<MailboxFolders> wrapFolders)
            throws IOException {
        this(dir, Duration.ofMinutes(30), idlePoll, Duration.ofMinutes(1), UnaryOperator.identity(), UnaryOperator.identity(),
                BufferBudget.quarterOfHeap(), clock, nanos, wrapFolders);
    }

    /** {@code configure} changes the plain listener's settings (message and folder limits). */
    ImapFixture(Path dir, UnaryOperator<ImapServerConfig> configure) throws IOException {
        this(dir, BufferBudget.quarterOfHeap(), configure);
    }

    /** ... and APPEND holds its messages within {@code budget}, as within a node's. */
    ImapFixture(Path dir, BufferBudget budget, UnaryOperator<ImapServerConfig> configure) throws IOException {
        this(dir, Duration.ofMinutes(30), Duration.ofMillis(100), Duration.ofMinutes(1), UnaryOperator.identity(), configure, budget,
                InstantSource.system(), System::nanoTime, UnaryOperator.identity());
    }

    /** ... and {@code wrap} sees every read of message content. */
    ImapFixture(Path dir, UnaryOperator<MailboxStore> wrap, BufferBudget budget) throws IOException {
        this(dir, Duration.ofMinutes(30), Duration.ofMillis(100), Duration.ofMinutes(1), wrap, UnaryOperator.identity(), budget,
                InstantSource.system(), System::nanoTime, UnaryOperator.identity());
    }

    /** ... and {@code wrapFolders} sees every folder read and write. */
    static ImapFixture watchingFolders(Path dir, BufferBudget budget, UnaryOperator<MailboxFolders> wrapFolders) throws IOException {
        return new ImapFixture(dir, Duration.ofMinutes(30), Duration.ofMillis(100), Duration.ofMinutes(1), UnaryOperator.identity(), UnaryOperator.identity(),
                budget, InstantSource.system(), System::nanoTime, wrapFolders);
    }

    private ImapFixture(Path dir, Duration idleTimeout, Duration idlePoll, Duration loginTimeout, UnaryOperator<MailboxStore> wrap,
                        UnaryOperator<ImapServerConfig> configure, BufferBudget budget, InstantSource clock, LongSupplier nanos,
                        UnaryOperator<MailboxFolders> wrapFolders) throws IOException {
        store = EmbeddedStore.open(dir, InstantSource.system());
        HostedMail mail = new HostedMail(directory, CHEAP, logins,
                wrap.apply(store.mailboxes()), wrapFolders.apply(store.mailboxFolders()), clock);
        SSLContext tls = ServerTlsContext.of(SERVER.keyManagers());
        ImapServerConfig config = ImapServerConfig.of("imap.sluice.test", InetAddress.getLoopbackAddress(), 0, tls, false, 20, 10)
                .withTimeouts(idleTimeout, idlePoll).withLoginTimeout(loginTimeout);
        server = new ImapServer(configure.apply(config), mail, budget, nanos).start();
        tlsServer = new ImapServer(ImapServerConfig.of("imap.sluice.test", InetAddress.getLoopbackAddress(), 0, tls, true, 20, 10), mail).start();
    }

    ImapFixture(Path dir) throws IOException {
        this(dir, Duration.ofMinutes(30), Duration.ofMillis(100));
    }

    Mailbox mailbox(String address, String password, long quota) {
        var org = directory.createOrganization("org of " + address, false);
        return directory.createMailbox(new Mailbox("x", org.id(), Address.parse(address), List.of(), address,
                password == null ? null : CHEAP.hash(password), quota));
    }

    void deliver(Mailbox m, Folder folder, String message) {
        store.mailboxes().append(m.id(), folder, message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), m.quotaBytes());
    }

    /** A client context that trusts the fixture's certificate. */
    static SSLContext clientTls() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, TestCertificates.trustManagers(SERVER.certificate()), new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connected, greeted, TLS on and logged in as {@code user}. */
    ImapClient loggedIn(String user) throws IOException {
        ImapClient c = ImapClient.connect(server.port());
        c.line();
        c.startTls(clientTls());
        List<String> r = c.command("l", "LOGIN " + user + " \"" + PASSWORD + "\"");
        if (!r.getLast().startsWith("l OK")) throw new IOException("login failed: " + r);
        return c;
    }

    /** Client 10.0.0.{@code n}, for other clients holding part of a buffer budget. */
    static ClientNetwork other(int n) {
        return ClientNetwork.of(InetAddress.ofLiteral("10.0.0." + n));
    }

    /** Other clients 10.0.0.1 to 10.0.0.{@code quarters} each take their whole share (a quarter) of {@code budget}. */
    static void othersHold(BufferBudget budget, int quarters) {
        for (int n = 1; n <= quarters; n++) {
            if (!budget.take(other(n), budget.perClient())) throw new IllegalStateException("no room for client " + n);
        }
    }

    /** {@code store}, except that a content read, once {@code hold} is set, counts down {@code reading} and waits for {@code gone}. */
    static MailboxStore holdingContent(MailboxStore store, AtomicBoolean hold, CountDownLatch reading, CountDownLatch gone) {
        return (MailboxStore) Proxy.newProxyInstance(MailboxStore.class.getClassLoader(), new Class<?>[]{MailboxStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("content") && hold.get()) {
                        reading.countDown();
                        gone.await(10, TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void close() {
        server.close();
        tlsServer.close();
        store.close();
    }
}

package sluice.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.admin.AdminServer;
import sluice.admin.Health;
import sluice.admin.auth.BootstrapTokenAuthenticator;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.ConnectorValidator;
import sluice.core.deliver.remote.NodeAddresses;
import sluice.core.deliver.remote.RemoteDeliveryOptions;
import sluice.core.deliver.remote.SmtpRemoteDelivery;
import sluice.core.dns.Dns;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.connector.InboundMatcher;
import sluice.core.connector.OutboundSelector;
import sluice.core.org.Passwords;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineService;
import sluice.core.filter.Pipeline;
import sluice.core.receive.Receiver;
import sluice.core.receive.SubmissionLimits;
import sluice.core.mail.Domain;
import sluice.core.route.Postmaster;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.imap.HostedMail;
import sluice.imap.ImapServer;
import sluice.imap.ImapServerConfig;
import sluice.smtp.server.BufferBudget;
import sluice.smtp.server.ServerTlsContext;
import sluice.smtp.server.SmtpServer;
import sluice.smtp.server.SmtpServerConfig;
import sluice.store.EmbeddedStore;

import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One running Sluice node, wired by hand in data-path order: store, DNS, delivery, queue, receiver,
 * SMTP listener, admin API. {@link #close()} stops in the reverse order, so nothing accepted is
 * left half-written.
 */
public final class Node implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    /** A start-up failure with a message for the operator (port in use, unreadable data directory, ...). */
    public static final class StartupException extends RuntimeException {
        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final NodeConfig config;
    private final EmbeddedStore store;
    private final ExecutorService deliveries;
    private final QueueRunner queue;
    private final SmtpServer smtp;
    private final SmtpServer submission;
    private final ImapServer imap;
    private final ImapServer imapTls;
    private final AdminServer admin;
    private final String adminToken;
    private final ScheduledExecutorService housekeeping;

    private Node(NodeConfig config, EmbeddedStore store, ExecutorService deliveries, QueueRunner queue, SmtpServer smtp,
                 SmtpServer submission, ImapServer imap, ImapServer imapTls, AdminServer admin, String adminToken,
                 ScheduledExecutorService housekeeping) {
        this.config = config;
        this.store = store;
        this.deliveries = deliveries;
        this.queue = queue;
        this.smtp = smtp;
        this.submission = submission;
        this.imap = imap;
        this.imapTls = imapTls;
        this.admin = admin;
        this.adminToken = adminToken;
        this.housekeeping = housekeeping;
    }

    public static Node start(NodeConfig cfg) {
        InstantSource clock = InstantSource.system();
        ZoneId zone = ZoneId.systemDefault();
        EmbeddedStore store;
        try {
            store = EmbeddedStore.open(cfg.dataDir(), clock);
        } catch (RuntimeException e) { // the directory in use, unwritable, not owner-only-able, a failed migration
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
        NodeAddresses thisNode = NodeAddresses.system().alsoReachedAt(cfg.delivery().proxyAddresses());
        warnAboutLocalHopsWithoutPermission(store, thisNode);
        ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
        QueueRunner queue = null;
        SmtpServer smtp = null;
        SmtpServer submission = null;
        ImapServer imap = null;
        ImapServer imapTls = null;
        try {
            String token = Secrets.adminToken(cfg);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            MeteredTrace trace = new MeteredTrace(store.trace(), registry);

            DnsJavaResolver direct = cfg.dnsServers().isEmpty() ? DnsJavaResolver.system()
                    : new DnsJavaResolver(cfg.dnsServers(), Duration.ofSeconds(5), 2);
            // The mail flow's answers are kept for their TTL; the admin API's checks (domain verification,
            // connector validation) ask afresh, so a record just published is seen at once.
            Dns dns = direct.cached(cfg.dnsCache());
            X509TrustManager trust = TlsMaterial.trust(cfg);
            RemoteDeliveryOptions deliveryOptions = RemoteDeliveryOptions.defaults(cfg.hostname())
                    .withTrust(trust)
                    .withMxPort(cfg.delivery().mxPort())
                    .withMxMayBeThisNode(cfg.delivery().mxMayBeThisNode())
                    .withThisNode(thisNode)
                    .withMaxConnectionsPerDestination(cfg.delivery().connectionsPerDestination());
            SmtpRemoteDelivery remote = new SmtpRemoteDelivery(dns, deliveryOptions);
            Router router = new Router(store.directory(), new OutboundSelector(store.connectors()),
                    new StaticRoutes(cfg.smartHosts()), new Postmaster(Domain.of(cfg.hostname()), cfg.postmaster()));
            NodeConfig.Queue q = cfg.queue();
            queue = new QueueRunner(store.spool(), router, new MailboxDelivery(store.mailboxes()), remote,
                    new DsnBuilder(cfg.hostname(), zone), trace, clock, deliveries,
                    new RetrySchedule(q.firstRetry(), q.maxRetry(), q.maxLifetime(), q.delayNotice()),
                    cfg.delivery().maxConcurrentDeliveries(), cfg.delivery().connectionsPerDestination(), q.destinationWait(),
                    cfg.hostname());
            queue.start();
            QueueRunner qr = queue;
            Gauge.builder("sluice.queue.scheduled", qr::scheduledCount).description("messages waiting for a retry").register(registry);
            Gauge.builder("sluice.queue.in_flight", qr::inFlightCount).description("deliveries running now").register(registry);
            FunctionCounter.builder("sluice.queue.busy_deferrals.untraced", qr, QueueRunner::untracedBusyDeferrals)
                    .description("busy deferrals (4.4.5, no attempt) not written to the trace: a recipient's first in a row is")
                    .register(registry);

            // Released copies are queued through the spool and handed to the runner for delivery at once.
            QuarantineService quarantine = new QuarantineService(store.quarantine(), store.spool(), trace, clock,
                    QuarantinePolicy.DEFAULT, qr::submit, store.dkimKeys());

            Pipeline pipeline = Protection.pipeline(cfg, store.policies(), store.spamTraining(), dns, clock,
                    store.transportRules(), store.directory());
            for (String stage : pipeline.requiredStages()) {
                FunctionCounter.builder("sluice.filter.deferrals", pipeline, p -> p.deferrals(stage)).tag("stage", stage)
                        .description("messages deferred (451 4.7.0) because a required filter stage failed").register(registry);
            }
            // One failed-login throttle per node for SMTP AUTH and IMAP: changing protocol gains no guesses.
            SubmissionLimits logins = new SubmissionLimits(SubmissionLimits.DEFAULT.messagesPerWindow(), Duration.ofMinutes(1),
                    5, Duration.ofMinutes(10));
            Receiver receiver = new Receiver(router, store.directory(), new InboundMatcher(store.connectors(), trust),
                    store.mailboxes(), store.spool(), queue, trace, clock, zone, cfg.hostname(), Passwords.OWASP,
                    logins, pipeline, quarantine, store.dkimKeys());
            NodeConfig.Limits l = cfg.limits();
            BufferBudget buffers = bufferBudget(l);
            SmtpServerConfig mx = SmtpServerConfig.builder(cfg.hostname())
                    .bindAddress(InetAddress.getByName(cfg.smtp().address())).port(cfg.smtp().port())
                    .sslContext(ServerTlsContext.of(TlsMaterial.keyManagers(cfg)))
                    .maxMessageSize(l.maxMessageSize()).maxRecipients(l.maxRecipients())
                    .maxConnections(l.maxConnections()).maxConnectionsPerIp(l.maxConnectionsPerIp())
                    .maxReceivedHeaders(l.maxReceivedHeaders()).maxTransferTime(l.maxTransferTime()).build();
            // One budget for both listeners: what bounds memory is the node's heap, not a listener's.
            smtp = new SmtpServer(mx, receiver.mx(), buffers);
            smtp.start();
            // Submission: AUTH only after STARTTLS, and nothing without AUTH (the session handler refuses MAIL).
            submission = new SmtpServer(mx.toBuilder()
                    .bindAddress(InetAddress.getByName(cfg.submission().address())).port(cfg.submission().port())
                    .authEnabled(true).requireTlsForAuth(true).requireTls(true).build(), receiver.submission(), buffers);
            submission.start();
            HostedMail hosted = new HostedMail(store.directory(), Passwords.OWASP, logins, store.mailboxes(),
                    store.mailboxFolders(), clock);
            // IMAP APPEND holds messages in memory too: the same budget, so the heap is promised once
            if (cfg.imap() != null) imap = imapServer(cfg, cfg.imap(), false, hosted, mx.sslContext(), buffers, registry);
            if (cfg.imapTls() != null) imapTls = imapServer(cfg, cfg.imapTls(), true, hosted, mx.sslContext(), buffers, registry);

            // The validator reaches connectors' next hops exactly as delivery does: same DNS, ports and trust.
            AdminServer admin = new AdminServer(store.directory(), store.connectors(), store.transportRules(),
                    new ConnectorValidator(direct, deliveryOptions, clock), store.policies(), store.dkimKeys(), store.mailboxes(),
                    trace, queue, quarantine, store.spamTraining(), registry,
                    () -> new Health(true, Map.of("queueScheduled", String.valueOf(qr.scheduledCount()), "deliveriesInFlight", String.valueOf(qr.inFlightCount()))),
                    new InetSocketAddress(InetAddress.getByName(cfg.admin().address()), cfg.admin().port()),
                    new BootstrapTokenAuthenticator(token), clock,
                    // The admin listener is plain HTTP: whether the browser used HTTPS is the operator's to say
                    // (admin.secureCookies), or a trusted proxy's (admin.trustedProxies, X-Forwarded-Proto).
                    new AdminServer.Accounts(store.users(), store.auditLog(), Passwords.OWASP, cfg.adminCookies()),
                    store.pendingDomains(), direct);
            admin.start();
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("housekeeping").daemon(true).factory());
            housekeeping.scheduleWithFixedDelay(() -> purge(quarantine, clock), 1, 60, TimeUnit.MINUTES);
            housekeeping.scheduleWithFixedDelay(new RetentionPurge(store.trace(), store.auditLog(), cfg.retention(), clock),
                    2, 60, TimeUnit.MINUTES);
            return new Node(cfg, store, deliveries, queue, smtp, submission, imap, imapTls, admin, token, housekeeping);
        } catch (IOException | RuntimeException e) {
            if (smtp != null) smtp.close();
            if (submission != null) submission.close();
            if (imap != null) imap.close();
            if (imapTls != null) imapTls.close();
            if (queue != null) queue.close();
            deliveries.shutdownNow();
            store.close();
            if (e instanceof ConfigLoader.ConfigException ce) throw ce;
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * Connectors made before localHopsAllowed existed start without it (V21); one whose smart host is written as an
     * address of this node now defers all its mail, so the operator hears about it at start-up, not from users.
     */
    private static void warnAboutLocalHopsWithoutPermission(EmbeddedStore store, NodeAddresses thisNode) {
        for (sluice.core.connector.OutboundConnector c : store.connectors().allOutbound()) {
            if (c.localHopsAllowed()) continue;
            for (sluice.core.mail.HostPort hp : c.smartHosts()) {
                boolean local = hp.host().equalsIgnoreCase("localhost");
                try {
                    local |= thisNode.isSurelyThisNode(java.net.InetAddress.ofLiteral(hp.host()));
                } catch (IllegalArgumentException name) {
                    // a host name: resolved, and checked, at delivery
                }
                if (local) {
                    LOG.warn("outbound connector '{}' sends to {}, an address of this node, but does not allow local hops: its "
                            + "mail will wait; if that is the operator's content filter, a global administrator sets "
                            + "localHopsAllowed (sluice connector set-outbound '{}' --local-hops-allowed)", c.name(), hp, c.name());
                    break;
                }
            }
        }
    }

    private static ImapServer imapServer(NodeConfig cfg, NodeConfig.Listener listener, boolean implicitTls, HostedMail hosted,
                                         javax.net.ssl.SSLContext tls, BufferBudget buffers,
                                         PrometheusMeterRegistry registry) throws IOException {
        NodeConfig.Limits l = cfg.limits();
        ImapServer server = new ImapServer(ImapServerConfig.of(cfg.hostname(), InetAddress.getByName(listener.address()),
                listener.port(), tls, implicitTls, l.maxConnections(), l.maxConnectionsPerIp())
                .withMessageLimits(l.maxMessageSize(), ImapServerConfig.FolderLimits.DEFAULT)
                .withDeadlines(cfg.imapTimeouts().loginDeadline(), cfg.imapTimeouts().writeTimeout()), hosted, buffers).start();
        String port = implicitTls ? "imaps" : "imap";
        Gauge.builder("sluice.imap.sessions", server::sessionCount).tag("listener", port)
                .description("open IMAP connections").register(registry);
        FunctionCounter.builder("sluice.imap.logins", server, ImapServer::successfulLogins).tag("listener", port)
                .tag("result", "ok").description("IMAP logins").register(registry);
        FunctionCounter.builder("sluice.imap.logins", server, ImapServer::failedLogins).tag("listener", port)
                .tag("result", "failed").description("IMAP logins").register(registry);
        return server;
    }

    /** limits.maxBufferedBytes, or a quarter of the heap; warns when a message at the size limit would not fit a client's share. */
    private static BufferBudget bufferBudget(NodeConfig.Limits l) {
        BufferBudget budget = l.maxBufferedBytes() == NodeConfig.Limits.AUTO ? BufferBudget.quarterOfHeap() : new BufferBudget(l.maxBufferedBytes());
        if (budget.total() / BufferBudget.CLIENT_SHARE < l.maxMessageSize())
            LOG.warn("SMTP sessions may hold {} MiB of arriving messages (a quarter of the heap), one client a quarter of that, "
                    + "which is less than limits.maxMessageSize: messages near the size limit will be deferred with 452 4.3.1. "
                    + "Give the JVM more heap (-Xmx{}m or more) or lower limits.maxMessageSize", budget.total() >> 20,
                    16 * l.maxMessageSize() >> 20);
        return budget;
    }

    /** Hourly: quarantined messages past their retention are removed. A failure is logged and retried next hour. */
    private static void purge(QuarantineService quarantine, InstantSource clock) {
        try {
            quarantine.purgeExpired(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("quarantine purge failed; will retry in an hour: {}", e.toString());
        }
    }

    public int smtpPort() {
        return smtp.port();
    }

    public int submissionPort() {
        return submission.port();
    }

    /** The IMAP (STARTTLS) port; -1 when IMAP is off. */
    public int imapPort() {
        return imap == null ? -1 : imap.port();
    }

    /** The IMAP implicit-TLS port; -1 when off. */
    public int imapTlsPort() {
        return imapTls == null ? -1 : imapTls.port();
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public String adminToken() {
        return adminToken;
    }

    /** The hosted mailbox store, for in-process end-to-end tests that read what was delivered. */
    sluice.core.mailbox.MailboxStore mailboxStore() {
        return store.mailboxes();
    }

    public String banner() {
        return "Sluice is running on " + config.hostname() + "\n"
                + "  SMTP       " + config.smtp().address() + ":" + smtp.port() + " (STARTTLS)\n"
                + "  Submission " + config.submission().address() + ":" + submission.port() + " (STARTTLS, then AUTH)\n"
                + (imap == null ? "" : "  IMAP       " + config.imap().address() + ":" + imap.port()
                        + " (STARTTLS, then LOGIN as the mailbox address)\n")
                + (imapTls == null ? "" : "  IMAP/TLS   " + config.imapTls().address() + ":" + imapTls.port() + " (implicit TLS)\n")
                + "  Admin center " + admin.uri() + "  (log in as an administrator; create the first one with the token)\n"
                + "  Admin API  " + admin.uri() + "api/v1\n"
                + adminTokenLine()
                + "  Try: curl -H 'Authorization: Bearer <token>' " + admin.uri() + "api/v1/organizations";
    }

    /**
     * Where the bootstrap token is, never the token: standard output ends up in journals, terminal
     * scrollback and CI logs, which are read by more people than the data directory's owner.
     */
    private String adminTokenLine() {
        if (!config.adminToken().isBlank()) return "  Admin token set by admin.token / SLUICE_ADMIN_TOKEN\n";
        java.nio.file.Path file = config.dataDir().resolve(Secrets.ADMIN_TOKEN_FILE);
        return "  Admin token in " + file + " (readable by this user only): TOKEN=$(cat " + file + ")\n";
    }

    /** Stops accepting, lets SMTP transactions and deliveries in progress finish, then closes the store. */
    @Override
    public void close() {
        LOG.info("shutting down: no new connections; finishing transactions in progress");
        if (imap != null) imap.close(); // IMAP has nothing in flight: every change is durable when its command completes
        if (imapTls != null) imapTls.close();
        Thread other = Thread.ofVirtual().start(() -> submission.shutdown(Duration.ofSeconds(30)));
        smtp.shutdown(Duration.ofSeconds(30));
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(); // before the queue drains: an admin change now would start attempts the drain refuses
        queue.close();
        deliveries.shutdown();
        try {
            if (!deliveries.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("deliveries still running after 30 s; they will be retried after the next start");
                deliveries.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeping.shutdownNow(); // a purge in progress stops after its current batch
        try {
            if (!housekeeping.awaitTermination(30, TimeUnit.SECONDS)) LOG.warn("housekeeping still running after 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        LOG.info("stopped");
    }
}

package sluice.admin;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import sluice.admin.api.ConnectorValidationRoute;
import sluice.admin.api.DkimRoutes;
import sluice.admin.api.DomainRoutes;
import sluice.admin.api.InboundConnectorRoutes;
import sluice.admin.api.MailboxRoutes;
import sluice.admin.api.OrganizationRoutes;
import sluice.admin.api.OutboundConnectorRoutes;
import sluice.admin.api.PolicyRoutes;
import sluice.admin.api.QuarantineRoutes;
import sluice.admin.api.QueueRoutes;
import sluice.admin.api.RuleRoutes;
import sluice.admin.api.StatsRoutes;
import sluice.admin.api.TraceRoutes;
import sluice.admin.api.ApiDocs;
import sluice.admin.api.AuditRoutes;
import sluice.admin.api.SessionRoutes;
import sluice.admin.api.TokenRoutes;
import sluice.admin.api.UserRoutes;
import sluice.admin.audit.Auditing;
import sluice.admin.audit.Cascades;
import sluice.admin.audit.Refusals;
import sluice.admin.auth.CookieSecurity;
import sluice.admin.auth.Credentials;
import sluice.admin.auth.LoginThrottle;
import sluice.admin.auth.RefusalThrottle;
import sluice.admin.auth.Sessions;
import sluice.admin.auth.TokenAuthenticator;
import sluice.admin.auth.UserTokenAuthenticator;
import sluice.admin.http.Dispatcher;
import sluice.admin.http.Router;
import sluice.admin.openapi.Operation;
import sluice.admin.openapi.OpenApiRoute;
import sluice.admin.ui.UiRoutes;
import sluice.core.account.AuditLog;
import sluice.core.account.Users;
import sluice.core.connector.Connectors;
import sluice.core.rule.TransportRules;
import sluice.core.filter.policy.Policies;
import sluice.core.filter.spam.OrgSpamModels;
import sluice.core.org.DkimSigningKeys;
import sluice.core.org.PendingDomains;
import sluice.core.dns.Dns;
import sluice.core.deliver.remote.ConnectorValidator;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.Directory;
import sluice.core.org.Passwords;
import sluice.core.quarantine.Quarantine;
import sluice.core.queue.QueueAdmin;
import sluice.core.trace.Trace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The admin HTTP server: the REST API under {@code /api/v1} (bearer tokens or a browser session),
 * its OpenAPI document, {@code /healthz}, {@code /metrics}, and the web admin center at {@code /}. One
 * virtual thread per request, like the SMTP side. {@link #start} binds; {@link #close} stops accepting, gives requests in flight a
 * moment to finish, and releases the port. Every successful change is recorded in the audit log.
 */
public final class AdminServer implements AutoCloseable {

    /** Larger admin requests are a mistake or an attack; 1 MiB leaves room for big alias lists. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    /**
     * Administrator accounts, the audit log, and how login behaves.
     *
     * @param passwords     the Argon2id cost for administrator passwords ({@link Passwords#OWASP} in production)
     * @param cookies       when the session cookie is Secure and named {@code __Host-sluice_session}: on every
     *                      response, or when a trusted TLS proxy in front of the plain-HTTP listener says so
     */
    public record Accounts(Users users, AuditLog auditLog, Passwords passwords, CookieSecurity cookies) {
        public Accounts {
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(auditLog, "auditLog");
            Objects.requireNonNull(passwords, "passwords");
            Objects.requireNonNull(cookies, "cookies");
        }

        /** Secure cookies always, or as {@link CookieSecurity#DEFAULT} (a proxy on this machine may say HTTPS). */
        public Accounts(Users users, AuditLog auditLog, Passwords passwords, boolean secureCookies) {
            this(users, auditLog, passwords, new CookieSecurity(secureCookies, CookieSecurity.DEFAULT.trustedProxies()));
        }
    }

    /**
     * Limits of the listener against clients that hold connections open.
     *
     * @param bodyDeadline how long a client may take to send a request body; then the connection is closed
     */
    public record Limits(Duration bodyDeadline) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30));

        public Limits {
            if (bodyDeadline.isNegative() || bodyDeadline.isZero()) throw new IllegalArgumentException("bodyDeadline must be positive");
        }
    }

    /**
     * The JDK server's own limits (system properties, read once per process when the first server
     * starts), set here unless the operator gave them with -D: without them a request may take for
     * ever and connections are unlimited. Seconds, except the counts.
     */
    static final Map<String, String> JDK_LISTENER_LIMITS = Map.of(
            "sun.net.httpserver.maxReqTime", "60",      // request line, headers and body
            "sun.net.httpserver.maxRspTime", "300",     // the client reading a response (a large CSV export)
            "sun.net.httpserver.idleInterval", "30",    // a kept-alive connection without a request
            "sun.net.httpserver.maxIdleConnections", "50",
            "jdk.httpserver.maxConnections", "256");

    private final InetSocketAddress bind;
    private final Router router = new Router();
    private final Dispatcher dispatcher;
    private final OpenApiRoute openApi;
    private HttpServer server;
    private ExecutorService executor;

    public AdminServer(Directory directory, Connectors connectors, TransportRules rules, ConnectorValidator validator, Policies policies,
                       DkimSigningKeys dkimKeys, MailboxStore mailboxStore, Trace trace, QueueAdmin queue,
                       Quarantine quarantine, OrgSpamModels spamTraining, PrometheusMeterRegistry metrics, Supplier<Health> health,
                       InetSocketAddress bind, TokenAuthenticator authenticator, InstantSource clock, Accounts accounts,
                       PendingDomains pendingDomains, Dns dns) {
        this(directory, connectors, rules, validator, policies, dkimKeys, mailboxStore, trace, queue, quarantine, spamTraining,
                metrics, health, bind, authenticator, clock, accounts, pendingDomains, dns, Limits.DEFAULT);
    }

    public AdminServer(Directory directory, Connectors connectors, TransportRules rules, ConnectorValidator validator, Policies policies,
                       DkimSigningKeys dkimKeys, MailboxStore mailboxStore, Trace trace, QueueAdmin queue,
                       Quarantine quarantine, OrgSpamModels spamTraining, PrometheusMeterRegistry metrics, Supplier<Health> health,
                       InetSocketAddress bind, TokenAuthenticator authenticator, InstantSource clock, Accounts accounts,
                       PendingDomains pendingDomains, Dns dns, Limits limits) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(connectors, "connectors");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(mailboxStore, "mailboxStore");
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(quarantine, "quarantine");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(clock, "clock");
        this.bind = Objects.requireNonNull(bind, "bind");
        new SystemRoutes(health, Objects.requireNonNull(metrics, "metrics")).register(router);
        Objects.requireNonNull(accounts, "accounts");
        Refusals refusals = new Refusals(accounts.auditLog(), clock);
        // One budget for every question a refusal answers about other organizations: their connectors' ranges,
        // this node's addresses, the names they hold (usernames, organization names).
        RefusalThrottle refusalThrottle = RefusalThrottle.standard(clock);
        new OrganizationRoutes(directory, refusalThrottle, refusals).register(router);
        Objects.requireNonNull(dkimKeys, "dkimKeys");
        new DomainRoutes(directory, Objects.requireNonNull(pendingDomains, "pendingDomains"), Objects.requireNonNull(dns, "dns"),
                clock, connectors, dkimKeys, new Cascades(accounts.auditLog(), clock)).register(router);
        new MailboxRoutes(directory, mailboxStore, Passwords.OWASP).register(router);
        new InboundConnectorRoutes(directory, connectors, validator.thisNode(), refusalThrottle, refusals).register(router);
        new OutboundConnectorRoutes(directory, connectors, Objects.requireNonNull(rules, "rules"), validator.thisNode(), refusalThrottle,
                refusals).register(router);
        new ConnectorValidationRoute(directory, connectors, validator).register(router);
        new RuleRoutes(directory, connectors, Objects.requireNonNull(rules, "rules")).register(router);
        new TraceRoutes(trace, directory, clock).register(router);
        new StatsRoutes(trace, directory, clock).register(router);
        new QueueRoutes(queue, directory).register(router);
        new PolicyRoutes(directory, Objects.requireNonNull(policies, "policies"),
                Objects.requireNonNull(spamTraining, "spamTraining"), quarantine).register(router);
        new DkimRoutes(directory, dkimKeys, clock).register(router);
        new QuarantineRoutes(quarantine, directory, accounts.users()).register(router);
        Credentials credentials = new Credentials(accounts.passwords());
        Sessions sessions = new Sessions(accounts.users(), clock);
        new UserRoutes(accounts.users(), directory, credentials, sessions, accounts.cookies(), refusalThrottle,
                refusals).register(router);
        new TokenRoutes(accounts.users(), credentials, clock).register(router);
        new SessionRoutes(accounts.users(), sessions, credentials, LoginThrottle.standard(clock), accounts.cookies()).register(router);
        new AuditRoutes(accounts.auditLog(), accounts.users()).register(router);
        new UiRoutes().register(router);
        Map<String, Operation> documented = new java.util.LinkedHashMap<>(ApiDocs.operations());
        documented.putAll(UiRoutes.operations());
        this.openApi = new OpenApiRoute(router, documented, version());
        openApi.register();
        TokenAuthenticator tokens = Objects.requireNonNull(authenticator, "authenticator")
                .or(new UserTokenAuthenticator(accounts.users(), clock));
        this.dispatcher = new Dispatcher(router, tokens, sessions, metrics, MAX_BODY_BYTES,
                Objects.requireNonNull(limits, "limits").bodyDeadline(), new Auditing(router, accounts.auditLog(), clock),
                accounts.cookies());
    }

    /** Binds and starts serving; the bound address (with the real port when 0 was asked) is {@link #address}. */
    public synchronized AdminServer start() throws IOException {
        if (server != null) throw new IllegalStateException("already started");
        JDK_LISTENER_LIMITS.forEach(System.getProperties()::putIfAbsent);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(bind, 0);
        server.createContext("/", dispatcher);
        server.setExecutor(executor);
        server.start();
        return this;
    }

    public synchronized InetSocketAddress address() {
        if (server == null) throw new IllegalStateException("not started");
        return server.getAddress();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080/}, for printing at start-up. */
    public URI uri() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** Method and pattern of every route, in registration order (for documentation and its test). */
    public List<String> routes() {
        return router.routes().stream().map(r -> r.method() + " " + r.pattern()).toList();
    }

    /** The OpenAPI document's description of each route, by {@code "METHOD /pattern"} (for its test). */
    public Map<String, Operation> documentedRoutes() {
        return openApi.operations();
    }

    private static String version() {
        String v = AdminServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public synchronized void close() {
        if (server == null) return;
        server.stop(1); // seconds to let exchanges in flight finish
        executor.close();
        server = null;
    }
}

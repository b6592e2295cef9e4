package sluice.admin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import sluice.admin.AdminServer;
import sluice.admin.Health;
import sluice.admin.auth.BootstrapTokenAuthenticator;
import sluice.admin.auth.Caller;
import sluice.admin.auth.CookieSecurity;
import sluice.admin.auth.Role;
import sluice.core.deliver.remote.ConnectorValidator;
import sluice.core.deliver.remote.RemoteDeliveryOptions;
import sluice.core.dns.Dns;
import sluice.admin.auth.Secrets;
import sluice.admin.auth.UserTokenAuthenticator;
import sluice.core.account.AdminRole;
import sluice.core.account.ApiToken;
import sluice.core.account.User;
import sluice.core.mail.Domain;
import sluice.core.org.Passwords;
import sluice.core.org.AcceptedDomain;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineService;
import sluice.core.testing.MemoryQuarantineStore;
import sluice.core.testing.MemorySpool;
import sluice.smtp.client.Timeouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A started {@link AdminServer} on 127.0.0.1 with in-memory ports, a clock that stands at {@link #NOW}
 * until a test moves it, the bootstrap token {@link #ADMIN} and any number of scoped test callers or
 * stored administrator accounts, plus an HTTP client that keeps every response body it saw (so a test
 * can assert that a secret never appeared in any of them). Passwords are hashed with a cheap Argon2id
 * cost so that login tests stay fast.
 */
public final class AdminFixture implements AutoCloseable {

    public static final String ADMIN = "bootstrap-token-0123456789abcdef";
    public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    public final InMemoryDirectory directory = new InMemoryDirectory();
    public final InMemoryPendingDomains pendingDomains = new InMemoryPendingDomains();
    /** TXT records by domain name, for domain verification. */
    public final java.util.Map<String, List<String>> txt = new ConcurrentHashMap<>();
    /** Domain names whose TXT lookup fails (SERVFAIL). */
    public final Set<String> dnsDown = ConcurrentHashMap.newKeySet();
    /** Host name to IP address, for the connector validator's DNS. */
    public final Map<String, String> hostAddresses = new ConcurrentHashMap<>();
    public final InMemoryConnectors connectors = new InMemoryConnectors();
    public final InMemoryPolicies policies = new InMemoryPolicies();
    public final sluice.core.testing.MemoryTransportRules rules = new sluice.core.testing.MemoryTransportRules();
    /** Reports go to real overlays in memory: enough to see a report change the organization's model. */
    public final java.util.Map<String, sluice.core.filter.spam.OrgSpamModel> overlays = new ConcurrentHashMap<>();
    public final sluice.core.filter.spam.OrgSpamModels spamTraining = new sluice.core.filter.spam.OrgSpamModels() {
        @Override public sluice.core.filter.spam.OrgSpamModel overlay(String org) { return overlays.get(org); }
        @Override public void learn(String org, byte[] message, boolean spam) {
            overlays.computeIfAbsent(org, k -> new sluice.core.filter.spam.OrgSpamModel()).learn(message, spam);
        }
    };
    public final sluice.core.testing.MemoryDkimKeys dkimKeys = new sluice.core.testing.MemoryDkimKeys();
    public final InMemoryMailboxStore mailboxStore = new InMemoryMailboxStore();
    public final InMemoryTrace trace = new InMemoryTrace();
    public final InMemoryQueueAdmin queue = new InMemoryQueueAdmin(NOW);
    /** The real quarantine service over memory: released copies land in {@link #spool}. */
    public final MemoryQuarantineStore quarantineStore = new MemoryQuarantineStore();
    public final MemorySpool spool = new MemorySpool();
    public final QuarantineService quarantine = new QuarantineService(quarantineStore, spool, trace, InstantSource.fixed(NOW),
            QuarantinePolicy.DEFAULT, (m, r) -> { });
    public final InMemoryUsers users = new InMemoryUsers();
    public final InMemoryAuditLog auditLog = new InMemoryAuditLog();
    public final TestClock clock = new TestClock(NOW);
    public static final Passwords CHEAP_PASSWORDS = new Passwords(64, 1, 1);
    public final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public volatile Supplier<Health> health = Health::healthy;
    private final Map<String, Caller> tokens = new ConcurrentHashMap<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AdminServer server;

    public AdminFixture() {
        this(AdminServer.Limits.DEFAULT);
    }

    public AdminFixture(AdminServer.Limits limits) {
        this(limits, CookieSecurity.DEFAULT);
    }

    /** With the given session cookie settings (admin.secureCookies, admin.trustedProxies). */
    public AdminFixture(CookieSecurity cookies) {
        this(AdminServer.Limits.DEFAULT, cookies);
    }

    private AdminFixture(AdminServer.Limits limits, CookieSecurity cookies) {
        directory.domainDependents = d -> dkimKeys.keys(d.organizationId()).stream().filter(k -> k.domain().equals(d.domain()))
                .forEach(k -> dkimKeys.delete(k.id()));
        var authenticator = new BootstrapTokenAuthenticator(ADMIN).or(t -> Optional.ofNullable(tokens.get(t)));
        server = new AdminServer(directory, connectors, rules, validator(), policies, dkimKeys, mailboxStore, trace, queue, quarantine, spamTraining,
                metrics, () -> health.get(), new InetSocketAddress("127.0.0.1", 0), authenticator, clock,
                new AdminServer.Accounts(users, auditLog, CHEAP_PASSWORDS, cookies), pendingDomains, txtDns(), limits);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DNS that knows only the TXT records in {@link #txt} (and fails for names in {@link #dnsDown}). */
    private Dns txtDns() {
        return new Dns() {
            @Override public List<Mx> mx(Domain d) throws NoSuchDomain { throw new NoSuchDomain(d + " does not exist"); }
            @Override public List<InetAddress> addresses(Domain d) throws NoSuchDomain { throw new NoSuchDomain(d + " does not exist"); }
            @Override public List<String> txt(Domain d) throws NoSuchDomain, DnsFailure {
                if (dnsDown.contains(d.name())) throw new DnsFailure("SERVFAIL for " + d);
                List<String> records = txt.get(d.name());
                if (records == null) throw new NoSuchDomain(d + " does not exist");
                return records;
            }
        };
    }

    /**
     * A real validator with fast timeouts and a DNS that knows only the names in {@link #hostAddresses},
     * so tests mostly name smart hosts by IP (an {@code SmtpSink}, or a closed port for an unreachable host).
     */
    private ConnectorValidator validator() {
        Dns none = new Dns() {
            @Override public List<Mx> mx(Domain d) throws NoSuchDomain { throw new NoSuchDomain(d + " does not exist"); }
            @Override public List<InetAddress> addresses(Domain d) throws NoSuchDomain {
                String ip = hostAddresses.get(d.name());
                if (ip == null) throw new NoSuchDomain(d + " does not exist");
                return List.of(InetAddress.ofLiteral(ip));
            }
            @Override public List<String> txt(Domain d) throws NoSuchDomain { throw new NoSuchDomain(d + " does not exist"); }
        };
        return new ConnectorValidator(none, RemoteDeliveryOptions.defaults("admin.sluice.test")
                .withTimeouts(Timeouts.uniform(Duration.ofSeconds(5))), InstantSource.fixed(NOW));
    }

    public AdminServer server() {
        return server;
    }

    /** A token for a scoped caller. */
    public String tokenFor(Role role, String... organizationIds) {
        String token = UUID.randomUUID().toString();
        tokens.put(token, new Caller(role + "-" + token.substring(0, 4), role, Set.of(organizationIds)));
        return token;
    }

    /** A stored administrator account; returns its id. */
    public String user(String username, AdminRole role, String password, String... organizationIds) {
        String id = UUID.randomUUID().toString();
        users.create(new User(id, username, null, role, Set.of(organizationIds), true,
                password == null ? null : CHEAP_PASSWORDS.hash(password)));
        return id;
    }

    /** A new API token of a stored account; returns the secret to send as the bearer token. */
    public String userToken(String userId) {
        String secret = UserTokenAuthenticator.newSecret();
        users.createToken(new ApiToken(UUID.randomUUID().toString(), userId, "test", Secrets.digest(secret), clock.instant(), null));
        return secret;
    }

    public String organization(String name) {
        return directory.createOrganization(name, false).id();
    }

    public String domain(String organizationId, String name) {
        return directory.createAcceptedDomain(organizationId, Domain.of(name), AcceptedDomain.Type.AUTHORITATIVE, false).id();
    }

    public Reply get(String path) {
        return send("GET", path, ADMIN, null);
    }

    public Reply post(String path, String json) {
        return send("POST", path, ADMIN, json);
    }

    public Reply patch(String path, String json) {
        return send("PATCH", path, ADMIN, json);
    }

    public Reply delete(String path) {
        return send("DELETE", path, ADMIN, null);
    }

    /** Any request; {@code token} null sends no Authorization header, {@code body} null no body. */
    public Reply send(String method, String path, String token, String body) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        if (body != null) builder.header("Content-Type", "application/json");
        return send(builder.build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            bodies.add(r.body());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    /** Every response body this fixture has received. */
    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }

    public record Reply(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The ids of an {"items": [...]} list. */
        public List<String> ids() {
            JsonNode items = json().get("items");
            if (items == null) throw new AssertionError("not a list (" + status + "): " + body);
            return items.valueStream().map(n -> n.get("id").asText()).toList();
        }
    }
}

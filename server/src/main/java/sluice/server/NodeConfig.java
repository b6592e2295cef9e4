package sluice.server;

import sluice.admin.auth.CookieSecurity;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.mail.Address;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The node configuration (one YAML file), validated. Every field has a default so a node starts
 * with no file at all; {@link ConfigLoader} builds this from defaults, the file and the environment.
 *
 * @param postmaster {@code smtp.postmaster}: who reads mail for {@code <postmaster>} and for postmaster at an
 *                   accepted domain without such a mailbox (RFC 5321 section 4.5.1); null when not set, and
 *                   such mail is then accepted and held in the queue until it is set or the message expires
 * @param imap       IMAP with STARTTLS for hosted mailboxes; null when off
 * @param imapTls    IMAP over implicit TLS; null when off (the default)
 * @param adminCookies {@code admin.secureCookies} and {@code admin.trustedProxies}: when the web admin
 *                   center's session cookie is Secure and {@code __Host-} named
 * @param dnsCache   {@code dns.cache.maxEntries} and {@code dns.cache.maxTtl}: the mail flow's DNS answers kept
 * @param imapTimeouts {@code imap.loginDeadline} and {@code imap.writeTimeout}, for both IMAP listeners
 */
public record NodeConfig(String hostname, Path dataDir, Listener smtp, Listener submission, Listener admin, Tls tls, List<String> dnsServers,
                         Delivery delivery, Queue queue, Retention retention, Limits limits, Protection protection, Map<String, List<String>> smartHosts,
                         String adminToken, Address postmaster, Listener imap, Listener imapTls, CookieSecurity adminCookies,
                         DnsJavaResolver.Caching dnsCache, ImapTimeouts imapTimeouts) {

    public NodeConfig {
        java.util.Objects.requireNonNull(adminCookies, "adminCookies");
        java.util.Objects.requireNonNull(dnsCache, "dnsCache");
        java.util.Objects.requireNonNull(imapTimeouts, "imapTimeouts");
    }

    /** With the default DNS cache ({@link DnsJavaResolver.Caching#DEFAULT}) and IMAP timeouts ({@link ImapTimeouts#DEFAULT}). */
    public NodeConfig(String hostname, Path dataDir, Listener smtp, Listener submission, Listener admin, Tls tls, List<String> dnsServers,
                      Delivery delivery, Queue queue, Retention retention, Limits limits, Protection protection, Map<String, List<String>> smartHosts,
                      String adminToken, Address postmaster, Listener imap, Listener imapTls, CookieSecurity adminCookies) {
        this(hostname, dataDir, smtp, submission, admin, tls, dnsServers, delivery, queue, retention, limits, protection, smartHosts,
                adminToken, postmaster, imap, imapTls, adminCookies, DnsJavaResolver.Caching.DEFAULT, ImapTimeouts.DEFAULT);
    }

    /** With the default admin cookie settings ({@link CookieSecurity#DEFAULT}). */
    public NodeConfig(String hostname, Path dataDir, Listener smtp, Listener submission, Listener admin, Tls tls, List<String> dnsServers,
                      Delivery delivery, Queue queue, Retention retention, Limits limits, Protection protection,
                      Map<String, List<String>> smartHosts, String adminToken, Address postmaster, Listener imap, Listener imapTls) {
        this(hostname, dataDir, smtp, submission, admin, tls, dnsServers, delivery, queue, retention, limits, protection, smartHosts,
                adminToken, postmaster, imap, imapTls, CookieSecurity.DEFAULT);
    }

    /** Without a postmaster address, without IMAP listeners. */
    public NodeConfig(String hostname, Path dataDir, Listener smtp, Listener submission, Listener admin, Tls tls, List<String> dnsServers,
                      Delivery delivery, Queue queue, Retention retention, Limits limits, Protection protection,
                      Map<String, List<String>> smartHosts, String adminToken) {
        this(hostname, dataDir, smtp, submission, admin, tls, dnsServers, delivery, queue, retention, limits, protection, smartHosts,
                adminToken, null);
    }

    /** Without IMAP listeners. */
    public NodeConfig(String hostname, Path dataDir, Listener smtp, Listener submission, Listener admin, Tls tls, List<String> dnsServers,
                      Delivery delivery, Queue queue, Retention retention, Limits limits, Protection protection,
                      Map<String, List<String>> smartHosts, String adminToken, Address postmaster) {
        this(hostname, dataDir, smtp, submission, admin, tls, dnsServers, delivery, queue, retention, limits, protection, smartHosts,
                adminToken, postmaster, null, null);
    }

    /** This configuration with the given IMAP listeners (null: off). */
    public NodeConfig withImap(Listener imap, Listener imapTls) {
        return new NodeConfig(hostname, dataDir, smtp, submission, admin, tls, dnsServers, delivery, queue, retention, limits,
                protection, smartHosts, adminToken, postmaster, imap, imapTls, adminCookies, dnsCache, imapTimeouts);
    }

    /** This configuration with the given admin session cookie settings. */
    public NodeConfig withAdminCookies(CookieSecurity cookies) {
        return new NodeConfig(hostname, dataDir, smtp, submission, admin, tls, dnsServers, delivery, queue, retention, limits,
                protection, smartHosts, adminToken, postmaster, imap, imapTls, cookies, dnsCache, imapTimeouts);
    }

    /** This configuration with the given IMAP timeouts. */
    public NodeConfig withImapTimeouts(ImapTimeouts timeouts) {
        return new NodeConfig(hostname, dataDir, smtp, submission, admin, tls, dnsServers, delivery, queue, retention, limits,
                protection, smartHosts, adminToken, postmaster, imap, imapTls, adminCookies, dnsCache, timeouts);
    }

    /**
     * Timeouts of both IMAP listeners.
     *
     * @param loginDeadline how long after connecting a client must have logged in, however busy it keeps
     *                      the connection (then {@code * BYE} and the connection is closed)
     * @param writeTimeout  how long one write to a client may block (a client that never reads its
     *                      responses); then the session is ended
     */
    public record ImapTimeouts(Duration loginDeadline, Duration writeTimeout) {
        public static final ImapTimeouts DEFAULT = new ImapTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(5));

        public ImapTimeouts {
            check("imap.loginDeadline", loginDeadline);
            check("imap.writeTimeout", writeTimeout);
        }

        private static void check(String key, Duration d) {
            if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0)
                throw new IllegalArgumentException(key + " must be between 1s and 1h, like 2m");
        }
    }

    public record Listener(String address, int port) {
        public Listener {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * PEM files; certificate and key both null means: generate a self-signed certificate under the
     * data directory. {@code trustedCertificates} (PEM, one or more CA certificates) replaces the
     * JDK's trust anchors for validating partners' certificates, outbound (CertificateValidation,
     * DomainValidation) and inbound (connectors identified by certificate); null keeps the JDK's.
     */
    public record Tls(Path certificate, Path key, Path trustedCertificates) {
        public Tls {
            if ((certificate == null) != (key == null))
                throw new IllegalArgumentException("tls.certificate and tls.key must be given together");
        }
    }

    /**
     * @param mxPort          the TCP port for delivery to MX hosts (25; tests point it at a sink)
     * @param mxMayBeThisNode an MX host may be one of this node's own addresses (false: such mail loops back and is
     *                        returned with 5.4.6, as Postfix does; tests whose internet is on loopback set it)
     * @param proxyAddresses  the addresses this node is reached at through NAT or a load balancer, which none of its
     *                        interfaces has: they count as the node itself, as its interfaces' addresses do (Postfix's
     *                        {@code proxy_interfaces}), so an MX or smart host that names them is seen to loop back
     */
    public record Delivery(int mxPort, int maxConcurrentDeliveries, int connectionsPerDestination, boolean mxMayBeThisNode,
                           List<java.net.InetAddress> proxyAddresses) {

        public Delivery(int mxPort, int maxConcurrentDeliveries, int connectionsPerDestination, boolean mxMayBeThisNode) {
            this(mxPort, maxConcurrentDeliveries, connectionsPerDestination, mxMayBeThisNode, List.of());
        }

        public Delivery {
            proxyAddresses = List.copyOf(proxyAddresses);
            if (mxPort < 1 || mxPort > 65535) throw new IllegalArgumentException("delivery.mxPort out of range: " + mxPort);
            if (maxConcurrentDeliveries < 1) throw new IllegalArgumentException("delivery.maxConcurrentDeliveries must be at least 1");
            if (connectionsPerDestination < 1) throw new IllegalArgumentException("delivery.connectionsPerDestination must be at least 1");
            // one stalled destination may hold at most its share of the delivery slots, never all of them
            if (connectionsPerDestination >= maxConcurrentDeliveries)
                throw new IllegalArgumentException("delivery.connectionsPerDestination (" + connectionsPerDestination
                        + ") must be less than delivery.maxConcurrentDeliveries (" + maxConcurrentDeliveries + ")");
        }
    }

    /**
     * @param enabled       false turns the whole protection pipeline off (a node behind another filter)
     * @param clamav        clamd to ask after the built-in malware checks: "host:port" or "unix:/path"; empty for none
     * @param dnsBlockLists DNS block list zones queried for every connecting IP (e.g. "zen.example.org")
     * @param rspamd        Rspamd's normal worker to ask after the built-in anti-spam, e.g.
     *                      "http://127.0.0.1:11333"; empty for none
     */
    public record Protection(boolean enabled, String clamav, List<String> dnsBlockLists, String rspamd) {

        /** Protection on, with these engines. */
        public Protection(String clamav, List<String> dnsBlockLists, String rspamd) {
            this(true, clamav, dnsBlockLists, rspamd);
        }

        public Protection {
            clamav = clamav == null ? "" : clamav.strip();
            dnsBlockLists = List.copyOf(dnsBlockLists);
            rspamd = rspamd == null ? "" : rspamd.strip();
            if (!rspamd.isEmpty()) {
                try {
                    sluice.core.filter.rspamd.RspamdClient.endpoint(rspamd);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("protection.rspamd: " + e.getMessage());
                }
            }
        }
    }

    /**
     * @param destinationWait how long a delivery waits for its destination's share of the delivery slots (all held
     *                        by other messages) before its recipients are deferred with 4.4.5 and tried again after
     *                        {@code firstRetry}; such a deferral does not count as an attempt
     */
    public record Queue(Duration firstRetry, Duration maxRetry, Duration maxLifetime, Duration delayNotice,
                        Duration destinationWait) {

        public Queue(Duration firstRetry, Duration maxRetry, Duration maxLifetime, Duration delayNotice) {
            this(firstRetry, maxRetry, maxLifetime, delayNotice, sluice.core.queue.QueueRunner.DEFAULT_DESTINATION_WAIT);
        }

        public Queue {
            // the runner parks on it: a zero wait would defer a destination whose slot frees a moment later
            if (destinationWait.isZero() || destinationWait.isNegative())
                throw new IllegalArgumentException("queue.destinationWait must be longer than 0, like 5m");
            // meanwhile the message's other recipients wait too, and an attempt should end well within the lifetime
            if (destinationWait.compareTo(Duration.ofHours(1)) > 0)
                throw new IllegalArgumentException("queue.destinationWait must be at most 1h (the message's recipients "
                        + "at other destinations wait as long): " + destinationWait);
        }
    }

    /**
     * How long the message trace and the audit log are kept; the node purges older rows hourly.
     * Any positive value is safe for mail in flight: the trace of a message still queued or
     * quarantined is kept whatever its age (see {@code SqlTrace.purgeBefore}), so a retention shorter
     * than {@code queue.maxLifetime} cannot leave a deferred message's last events without the first.
     */
    public record Retention(Duration trace, Duration audit) {
        /** Beyond this a cut-off computed from now could leave the range of an Instant; nobody means it. */
        static final Duration LONGEST = Duration.ofDays(36_500);

        public Retention {
            check("retention.trace", trace);
            check("retention.audit", audit);
        }

        private static void check(String key, Duration d) {
            if (d.isZero() || d.isNegative())
                throw new IllegalArgumentException(key + " must be longer than 0, like 90d (0 would remove every entry within the hour)");
            if (d.compareTo(LONGEST) > 0) throw new IllegalArgumentException(key + " must be at most 36500d (100 years)");
        }
    }

    /**
     * @param maxBufferedBytes octets of arriving messages all SMTP sessions and IMAP APPENDs together may hold in memory, one client at
     *                         most a quarter; 0 means a quarter of the JVM's maximum heap
     * @param maxTransferTime  the longest one DATA or BDAT transfer may take, however the client paces it
     */
    public record Limits(long maxMessageSize, int maxRecipients, int maxConnections, int maxConnectionsPerIp,
                         int maxReceivedHeaders, long maxBufferedBytes, Duration maxTransferTime) {

        public static final long AUTO = 0;
        public static final Duration DEFAULT_TRANSFER_TIME = Duration.ofMinutes(10);

        public Limits {
            if (maxMessageSize < 1024) throw new IllegalArgumentException("limits.maxMessageSize must be at least 1024");
            if (maxRecipients < 100) throw new IllegalArgumentException("limits.maxRecipients must be at least 100 (RFC 5321 section 4.5.3.1.8)");
            if (maxConnections < 1 || maxConnectionsPerIp < 1) throw new IllegalArgumentException("connection limits must be at least 1");
            if (maxReceivedHeaders < 1) throw new IllegalArgumentException("limits.maxReceivedHeaders must be at least 1");
            if (maxBufferedBytes != AUTO && maxBufferedBytes < 4 * maxMessageSize)
                throw new IllegalArgumentException("limits.maxBufferedBytes must be 0 (a quarter of the heap) or at least 4 times "
                        + "limits.maxMessageSize (" + 4 * maxMessageSize + "), since one client may use a quarter of it; "
                        + "otherwise messages near the size limit could never be accepted");
            if (maxTransferTime == null || maxTransferTime.compareTo(Duration.ofSeconds(1)) < 0 || maxTransferTime.compareTo(Duration.ofDays(1)) > 0)
                throw new IllegalArgumentException("limits.maxTransferTime must be between 1s and 24h, like 10m");
        }

        /** The buffer budget and transfer time at their defaults. */
        public Limits(long maxMessageSize, int maxRecipients, int maxConnections, int maxConnectionsPerIp, int maxReceivedHeaders) {
            this(maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerIp, maxReceivedHeaders, AUTO, DEFAULT_TRANSFER_TIME);
        }
    }
}

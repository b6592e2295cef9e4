package sluice.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Node configurations for in-process end-to-end tests: loopback listeners on free ports, fast retries. */
final class TestNodes {

    /**
     * The body of the scenario messages: ordinary prose, as real mail has. These tests are about
     * routing, and a message of a handful of random tokens sits at the spam classifier's border.
     */
    static final String ORDINARY_BODY = "Hi,\r\n\r\nHere are the notes from the meeting about the network upgrade on Tuesday. "
            + "Let me know if I missed anything.\r\n\r\nThanks,\r\nSam\r\n";


    static final String HOSTNAME = "mx.sluice.test";
    static final String TOKEN = "e2e-admin-token-0123456789";

    private TestNodes() {
    }

    /**
     * @param dnsServer  the DNS stub ("127.0.0.1:port"), or null for none (no MX lookups expected)
     * @param mxPort     where MX deliveries connect (a sink's port)
     * @param smartHosts recipient domain to "host:port" list
     */
    static NodeConfig config(Path dataDir, String dnsServer, int mxPort, Map<String, List<String>> smartHosts) {
        return config(dataDir, 0, dnsServer, mxPort, smartHosts);
    }

    static NodeConfig config(Path dataDir, int smtpPort, String dnsServer, int mxPort, Map<String, List<String>> smartHosts) {
        return new NodeConfig(HOSTNAME, dataDir,
                new NodeConfig.Listener("127.0.0.1", smtpPort), new NodeConfig.Listener("127.0.0.1", 0),
                new NodeConfig.Listener("127.0.0.1", 0),
                new NodeConfig.Tls(null, null, null),
                dnsServer == null ? List.of("127.0.0.1:9") : List.of(dnsServer),
                new NodeConfig.Delivery(mxPort, 50, 10, true),
                new NodeConfig.Queue(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(24), Duration.ofHours(4)),
                new NodeConfig.Retention(Duration.ofDays(90), Duration.ofDays(365)),
                new NodeConfig.Limits(10 * 1024 * 1024, 500, 200, 100, 50),
                new NodeConfig.Protection("", List.of(), ""),
                smartHosts, TOKEN);
    }

    /** {@code c} with {@code pem} (CA certificates) as the trust anchors for partners' and clients' certificates. */
    static NodeConfig withTrustedCertificates(NodeConfig c, Path pem) {
        return new NodeConfig(c.hostname(), c.dataDir(), c.smtp(), c.submission(), c.admin(),
                new NodeConfig.Tls(c.tls().certificate(), c.tls().key(), pem), c.dnsServers(), c.delivery(), c.queue(),
                c.retention(), c.limits(), c.protection(), c.smartHosts(), c.adminToken());
    }

    /** {@code c} with retries every {@code retry} and expiry after {@code maxLifetime} (no delay notices). */
    static NodeConfig withQueue(NodeConfig c, Duration retry, Duration maxLifetime) {
        return new NodeConfig(c.hostname(), c.dataDir(), c.smtp(), c.submission(), c.admin(), c.tls(), c.dnsServers(),
                c.delivery(), new NodeConfig.Queue(retry, retry, maxLifetime, Duration.ZERO), c.retention(), c.limits(), c.protection(), c.smartHosts(),
                c.adminToken());
    }

    /** {@code c} with {@code protection.enabled: false}. */
    static NodeConfig withoutProtection(NodeConfig c) {
        return new NodeConfig(c.hostname(), c.dataDir(), c.smtp(), c.submission(), c.admin(), c.tls(), c.dnsServers(),
                c.delivery(), c.queue(), c.retention(), c.limits(), new NodeConfig.Protection(false, "", List.of(), ""),
                c.smartHosts(), c.adminToken());
    }

    static Admin admin(Node node) {
        return new Admin(node.adminAddress().getAddress().getHostAddress(), node.adminAddress().getPort(), node.adminToken());
    }
}

package sluice.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Node configurations for in-process end-to-end tests: loopback listeners on free ports, fast retries. */
final class TestNodes {

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
                new NodeConfig.Delivery(mxPort, 50, 10),
                new NodeConfig.Queue(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofHours(24), Duration.ofHours(4)),
                new NodeConfig.Limits(10 * 1024 * 1024, 500, 200, 100, 50),
                smartHosts, TOKEN);
    }

    static Admin admin(Node node) {
        return new Admin(node.adminAddress().getAddress().getHostAddress(), node.adminAddress().getPort(), node.adminToken());
    }
}

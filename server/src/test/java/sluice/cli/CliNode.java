package sluice.cli;

import sluice.server.Main;
import sluice.server.Node;
import sluice.server.NodeConfig;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node on loopback (every listener on port 0, no DNS, fast retries) and a way to run
 * {@code sluice ...} against it in-process with captured output.
 */
final class CliNode implements AutoCloseable {

    static final String TOKEN = "cli-test-admin-token-0123456789";

    private final Node node;
    private final Path workDir;

    private CliNode(Node node, Path workDir) {
        this.node = node;
        this.workDir = workDir;
    }

    static CliNode start(Path dir) {
        return start(dir, "127.0.0.1:9");
    }

    /** With {@code dnsServer} (host:port) as the node's resolver. */
    static CliNode start(Path dir, String dnsServer) {
        NodeConfig cfg = new NodeConfig("mx.sluice.test", dir.resolve("data"),
                new NodeConfig.Listener("127.0.0.1", 0), new NodeConfig.Listener("127.0.0.1", 0),
                new NodeConfig.Listener("127.0.0.1", 0), new NodeConfig.Tls(null, null, null),
                List.of(dnsServer), new NodeConfig.Delivery(9, 10, 5, true),
                new NodeConfig.Queue(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofHours(4)),
                new NodeConfig.Retention(Duration.ofDays(90), Duration.ofDays(365)),
                new NodeConfig.Limits(10 * 1024 * 1024, 500, 100, 50, 50),
                new NodeConfig.Protection("", List.of(), ""), Map.of(), TOKEN);
        return new CliNode(Node.start(cfg), dir);
    }

    String url() {
        return "http://127.0.0.1:" + node.adminAddress().getPort();
    }

    int smtpPort() {
        return node.smtpPort();
    }

    /** The outcome of one command. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** {@code sluice args...} with SLUICE_URL and SLUICE_TOKEN pointing at this node. */
    Run sluice(String... args) {
        return sluiceWith(Map.of(), "", args);
    }

    /** With extra (or, as null values, removed) environment variables and standard input. */
    Run sluiceWith(Map<String, String> extraEnv, String stdin, String... args) {
        Map<String, String> vars = new HashMap<>(Map.of("SLUICE_URL", url(), "SLUICE_TOKEN", TOKEN));
        extraEnv.forEach((k, v) -> {
            if (v == null) vars.remove(k);
            else vars.put(k, v);
        });
        return run(new Environment(vars, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), workDir, false), args);
    }

    static Run run(Environment env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Override
    public void close() {
        node.close();
    }
}

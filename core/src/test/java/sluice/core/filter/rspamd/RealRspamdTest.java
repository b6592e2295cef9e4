package sluice.core.filter.rspamd;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Symbol;
import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real Rspamd (Debian's rspamd 3.4) with the stock configuration, run in the foreground
 * from a temporary directory: our own local.d/override.d put the normal worker on a free loopback
 * port, turn the other workers off and point DNS at a closed port, so the test makes no network
 * queries and DNS checks fail fast. No redis: Bayes and the like are simply off. Skips when rspamd
 * is not installed, except under CI (CI=true), where that is a failure: .ci/run installs it.
 */
class RealRspamdTest {

    private static final Path RSPAMD = Path.of("/usr/bin/rspamd");
    private static final Path STOCK_CONFIG = Path.of("/etc/rspamd/rspamd.conf");
    /**
     * Compiling the regular expressions (hyperscan) takes ~10 s; kept in the build directory, later
     * runs start in about a second.
     */
    private static final Path HS_CACHE = Path.of("target", "rspamd-hs-cache").toAbsolutePath();
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private static Path dir;
    private static Process rspamd;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(RSPAMD) || !Files.isReadable(STOCK_CONFIG)) {
            if ("true".equals(System.getenv("CI")))
                throw new AssertionError(RSPAMD + " or " + STOCK_CONFIG + " is missing: install rspamd (.ci/run does)");
            Assumptions.abort("rspamd is not installed (apt-get install rspamd); skipping the real-Rspamd test");
        }
        dir = Files.createTempDirectory("sluice-rspamd");
        Files.createDirectories(HS_CACHE);
        int port = freePort();
        url = "http://127.0.0.1:" + port;
        Path local = Files.createDirectories(dir.resolve("local.d"));
        Path override = Files.createDirectories(dir.resolve("override.d"));
        Files.writeString(override.resolve("worker-normal.inc"), "bind_socket = \"127.0.0.1:" + port + "\";\ncount = 1;\n");
        // the stock config binds these on localhost's fixed ports, which a system Rspamd may hold
        for (String worker : List.of("worker-controller.inc", "worker-proxy.inc", "worker-fuzzy.inc"))
            Files.writeString(override.resolve(worker), "bind_socket = \"127.0.0.1:" + freePort() + "\";\ncount = -1;\n");
        Files.writeString(local.resolve("options.inc"), "hs_cache_dir = \"" + HS_CACHE + "\";\n"
                + "dns { nameserver = [\"127.0.0.1:" + freePort() + "\"]; timeout = 0.3s; retransmits = 0; }\n");
        for (String d : List.of("db", "run", "log")) Files.createDirectories(dir.resolve(d));

        var command = new java.util.ArrayList<>(List.of(RSPAMD.toString(), "-f", "-c", STOCK_CONFIG.toString(),
                "--var", "LOCAL_CONFDIR=" + dir, "--var", "DBDIR=" + dir.resolve("db"),
                "--var", "RUNDIR=" + dir.resolve("run"), "--var", "LOGDIR=" + dir.resolve("log")));
        // Rspamd refuses to keep root unless told to; the throw-away instance has nothing to protect
        if ("root".equals(System.getProperty("user.name"))) command.add("-i");
        rspamd = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("rspamd.out").toFile()).start();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!pong()) {
            if (!rspamd.isAlive() || System.nanoTime() > deadline)
                throw new AssertionError("rspamd did not start: " + Files.readString(dir.resolve("rspamd.out"))
                        + tail(dir.resolve("log").resolve("rspamd.log")));
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean pong() {
        try (HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()) {
            var r = http.send(HttpRequest.newBuilder(URI.create(url + "/ping")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("pong");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "";
        List<String> lines = Files.readAllLines(log);
        return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (rspamd != null) {
            var workers = rspamd.descendants().toList();
            rspamd.destroy();
            if (!rspamd.waitFor(10, TimeUnit.SECONDS)) rspamd.destroyForcibly().waitFor();
            workers.forEach(ProcessHandle::destroyForcibly);
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Findings check(String body, Facts.Spam builtin) throws Exception {
        String message = "From: Alice Example <alice@example.net>\r\nTo: bob@contoso.example\r\nSubject: lunch tomorrow\r\n"
                + "Message-ID: <rspamd-test@example.net>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body;
        var m = new Inspection("org", false, QueuedMessage.Origin.INTERNET, InetAddress.getByName("198.51.100.9"),
                InetAddress.getByName("198.51.100.9"), "mail.example.net", true, "alice@example.net",
                List.of(Address.parse("bob@contoso.example")), message.getBytes(StandardCharsets.US_ASCII));
        Findings f = new Findings();
        f.add(builtin);
        new RspamdStage(RspamdClient.create(url, Duration.ofSeconds(10))).inspect(m, f);
        return f;
    }

    @Test
    void gtubeIsRejectedAndRaisesTheSclToHighConfidenceSpam() throws Exception {
        Findings f = check("This is the GTUBE test:\r\n" + GTUBE + "\r\n", new Facts.Spam(1, 0.05, "NONE"));

        assertThat(f.symbols()).first().satisfies(s -> {
            assertThat(s.name()).isEqualTo("RSPAMD");
            assertThat(s.weight()).isGreaterThanOrEqualTo(15.0);
            assertThat(s.detail()).startsWith("reject, ").contains("Gtube pattern");
        });
        assertThat(f.symbols()).extracting(Symbol::name).contains("RSPAMD_GTUBE");
        assertThat(f.fact(Facts.Spam.class)).hasValueSatisfying(spam -> {
            assertThat(spam.scl()).isGreaterThanOrEqualTo(7);
            assertThat(spam.category()).isEqualTo("HSPM");
        });
    }

    @Test
    void aPlainNoteIsNotRejectedAndKeepsTheBuiltInScl() throws Exception {
        var builtin = new Facts.Spam(1, 0.05, "NONE");
        Findings f = check("Hi Bob,\r\n\r\nshall we meet for lunch tomorrow at noon?\r\n\r\nAlice\r\n", builtin);

        assertThat(f.symbols()).first().satisfies(s -> {
            assertThat(s.name()).isEqualTo("RSPAMD");
            assertThat(s.weight()).isLessThan(15.0);
            assertThat(s.detail()).doesNotStartWith("reject").endsWith("(not applied)");
        });
        assertThat(f.symbols()).extracting(Symbol::name).doesNotContain("RSPAMD_FAILED", "RSPAMD_GTUBE");
        assertThat(f.fact(Facts.Spam.class)).containsSame(builtin);
    }
}

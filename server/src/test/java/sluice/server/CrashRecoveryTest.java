package sluice.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.smtp.Reply;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's contract under SIGKILL: a real node runs in a child JVM ({@code sluice serve}), a load
 * generator sends continuously, and the child is killed with SIGKILL three times at random moments
 * and restarted on the same data directory. Meanwhile the organization's smart host (a sink in this
 * JVM) first refuses (451 to MAIL, so mail piles up in the queue), then accepts (so deliveries are
 * in flight when the later kills come). At the end the sink accepts, and every message
 * that got {@code 250} after its final dot must arrive, byte for byte apart from the Received
 * header Sluice prepends. Duplicates are allowed only as the price of deliveries in flight at a
 * kill, and are reported.
 *
 * <p>No phase has a fixed time: each waits for as long as it makes progress (more acknowledged
 * messages, fewer missing at the sink, a shorter queue) and fails after {@link #STALL} without any.
 * A machine under load makes the test slower, never red; lost mail (the missing set stops
 * shrinking) or a recovery that stalls still fails it, within one stall of the point where it stopped.
 */
class CrashRecoveryTest {

    static final int KILLS = 3;
    static final int SENDERS = 4;
    /**
     * How long a phase may go without progress. On an idle machine there is some every few milliseconds (an
     * acknowledgement, a delivery) or at the latest at the next retry (2 s); a busy one stretches that tenfold.
     * Lost mail or a queue runner that never comes back makes none, however long one waits.
     */
    static final Duration STALL = Duration.ofSeconds(30);
    static final Pattern CRASH_ID = Pattern.compile("\r\nX-Crash-Id: (\\S+)\r\n");
    static final Reply REFUSE = Reply.of(451, "4.3.0", "Not now, try again later");

    @TempDir
    Path dir;

    private final Random random = new Random();
    private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final List<Thread> senders = new ArrayList<>();
    private SmtpSink onPremises;
    private Process child;
    private int starts;

    @AfterEach
    void cleanUp() throws InterruptedException {
        sending.set(false);
        for (Thread t : senders) t.join(10_000);
        if (child != null) child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (onPremises != null) onPremises.close();
    }

    @Test
    void everyAcknowledgedMessageIsDeliveredAfterRepeatedSigkill() throws Exception {
        onPremises = SmtpSink.on("127.0.0.5").hostname("exchange.onprem.example").start();
        int smtpPort = freePort();
        int adminPort = freePort();
        Path config = writeConfig(smtpPort, adminPort);
        Admin admin = new Admin("127.0.0.1", adminPort, TestNodes.TOKEN);

        startChild(config, admin);
        String org = admin.createOrganization("Contoso");
        admin.createDomain(org, "onprem.example", "InternalRelay");

        for (int t = 0; t < SENDERS; t++) {
            int n = t;
            senders.add(Thread.ofPlatform().name("sender-" + t).start(() -> sendLoop(n, smtpPort)));
        }

        List<String> log = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            // first kill: mail piling up in the queue; later ones: the backlog draining, deliveries in flight
            boolean accepting = kill >= 2;
            onPremises.replyToMail(accepting ? null : REFUSE);
            int before = acknowledged.size();
            whileProgressing(() -> "30 more acknowledged messages", () -> before + 30 - acknowledged.size());
            Thread.sleep(random.nextInt(400)); // a random moment while sends and deliveries are in flight
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            log.add("kill " + kill + " (sink " + (accepting ? "accepting" : "refusing") + ") after "
                    + acknowledged.size() + " acknowledged, " + onPremises.messages().size() + " at the sink");
            startChild(config, admin);
        }
        int before = acknowledged.size();
        whileProgressing(() -> "30 more acknowledged messages after the last restart", () -> before + 30 - acknowledged.size());
        sending.set(false);
        for (Thread t : senders) t.join(15_000);

        onPremises.replyToMail(null);
        whileProgressing(() -> "every acknowledged message at the sink (missing, the first ten: "
                + missing(arrivals()).stream().sorted().limit(10).toList() + ")", () -> missing(arrivals()).size());
        whileProgressing(() -> "an empty queue", () -> Admin.items(admin.get("/api/v1/queue")).size());

        Map<String, List<byte[]>> arrived = arrivals();
        int duplicates = 0;
        for (var e : arrived.entrySet()) {
            String id = e.getKey();
            assertThat(acknowledged.containsKey(id) || inDoubt.contains(id))
                    .as("message %s arrived but was never sent", id).isTrue();
            byte[] sent = acknowledged.get(id);
            for (byte[] copy : e.getValue()) {
                if (sent != null) assertThat(withoutReceived(copy)).as("content of %s", id).isEqualTo(sent);
            }
            duplicates += e.getValue().size() - 1;
            assertThat(e.getValue().size()).as("copies of %s", id).isLessThanOrEqualTo(1 + KILLS);
        }
        assertThat(missing(arrived)).isEmpty();
        System.out.printf("crash test: %s; %d acknowledged, %d in doubt (no reply before a kill), %d arrived"
                        + " (%d distinct), %d duplicate deliveries%n", log, acknowledged.size(), inDoubt.size(),
                arrived.values().stream().mapToInt(List::size).sum(), arrived.size(), duplicates);
        assertThat(acknowledged.size()).isGreaterThan(KILLS * 30);
        for (int i = 1; i <= starts; i++) {
            try (var lines = Files.lines(dir.resolve("node-" + i + ".log"))) {
                lines.filter(l -> l.contains("ERROR") || l.contains("WARN")).limit(20)
                        .forEach(l -> System.out.println("crash test: node log: " + l));
            }
        }
    }

    /** One sender: as many messages per connection as the node allows; reconnects after a kill. */
    private void sendLoop(int sender, int port) {
        int seq = 0;
        while (sending.get()) {
            try (SmtpTalk c = connect(port)) {
                if (c == null) continue;
                if (!c.ehlo("load" + sender + ".tailspin.example").startsWith("250")) continue;
                while (sending.get()) {
                    String id = sender + "-" + (++seq);
                    byte[] content = message(id);
                    if (!c.cmd("MAIL FROM:<load" + sender + "@tailspin.example>").startsWith("250")) break;
                    if (!c.cmd("RCPT TO:<r" + sender + "@onprem.example>").startsWith("250")) break;
                    inDoubt.add(id);
                    String reply = c.data(content);
                    if (reply.startsWith("250 ")) {
                        acknowledged.put(id, content);
                        inDoubt.remove(id);
                    } else if (!reply.startsWith("4")) {
                        inDoubt.remove(id); // refused for good: neither acknowledged nor in doubt
                    }
                }
            } catch (IOException e) {
                // the node was killed under us: whatever had no 250 stays in doubt; reconnect
            }
        }
    }

    private SmtpTalk connect(int port) throws IOException {
        try {
            SmtpTalk c = SmtpTalk.connect("127.0.0.1", port);
            if (c.greeting().startsWith("220")) return c;
            c.close();
        } catch (IOException e) {
            // not listening (being restarted)
        }
        try {
            Thread.sleep(20); // the node is restarting; a connect loop without a pause would burn a core
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private byte[] message(String id) {
        StringBuilder b = new StringBuilder();
        b.append("From: <load@tailspin.example>\r\nTo: <someone@onprem.example>\r\n");
        b.append("Subject: crash test ").append(id).append("\r\n");
        b.append("Message-ID: <").append(id).append("@crash.test>\r\n");
        b.append("X-Crash-Id: ").append(id).append("\r\n\r\n");
        int lines = 5 + random.nextInt(200);
        for (int i = 0; i < lines; i++) {
            b.append(i % 17 == 0 ? "." : "").append("line ").append(i).append(" of message ").append(id)
                    .append(" ").append(Long.toHexString(random.nextLong())).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private Map<String, List<byte[]>> arrivals() {
        Map<String, List<byte[]>> out = new HashMap<>();
        for (SinkMessage m : onPremises.messages()) {
            Matcher id = CRASH_ID.matcher(m.text());
            assertThat(id.find()).as("a message without X-Crash-Id at the sink: %s", m.text()).isTrue();
            out.computeIfAbsent(id.group(1), k -> new ArrayList<>()).add(m.content());
        }
        return out;
    }

    private Set<String> missing(Map<String, List<byte[]>> arrived) {
        Set<String> missing = new HashSet<>(acknowledged.keySet());
        missing.removeAll(arrived.keySet());
        return missing;
    }

    /**
     * The content without the fields Sluice prepends: its Received header, then the protection
     * pipeline's Authentication-Results and X-Sluice-* fields.
     */
    private static byte[] withoutReceived(byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("Received: from ");
        int end = skipField(text, 0);
        while (text.startsWith("Authentication-Results: ", end) || text.startsWith("X-Sluice-", end)) end = skipField(text, end);
        byte[] rest = new byte[content.length - end];
        System.arraycopy(content, end, rest, 0, rest.length);
        return rest;
    }

    /** The offset after the (possibly folded) header field starting at {@code start}. */
    private static int skipField(String text, int start) {
        int end = start;
        do {
            end = text.indexOf("\r\n", end) + 2;
        } while (text.charAt(end) == ' ' || text.charAt(end) == '\t');
        return end;
    }

    private Path writeConfig(int smtpPort, int adminPort) throws IOException {
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, """
                hostname: mx.sluice.test
                dataDir: %s
                listeners:
                  smtp:  {address: 127.0.0.1, port: %d}
                  admin: {address: 127.0.0.1, port: %d}
                dns:
                  servers: ["127.0.0.1:9"]
                queue:
                  firstRetry: 1s
                  maxRetry: 2s
                routing:
                  smartHosts:
                    onprem.example: ["%s"]
                admin:
                  token: %s
                """.formatted(dir.resolve("data"), smtpPort, adminPort, onPremises.hostPort(), TestNodes.TOKEN));
        return config;
    }

    private void startChild(Path config, Admin admin) throws IOException {
        starts++;
        Path log = dir.resolve("node-" + starts + ".log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "sluice.server.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process p = child;
        Poll.until(Duration.ofSeconds(30), "the node (start " + starts + ") to answer /healthz", () -> {
            if (!p.isAlive()) throw new AssertionError("the node exited with " + p.exitValue() + ":\n" + Files.readString(log));
            return admin.call("GET", "/healthz", null).status();
        }, s -> s == 200);
    }

    /**
     * Waits until {@code left} (how much of the phase is still to happen) is 0, for as long as it reaches new
     * lows: fails after {@link #STALL} without one. Every phase has a finite amount left, so this ends.
     */
    private static void whileProgressing(Supplier<String> what, Callable<Integer> left) throws InterruptedException {
        int least = Integer.MAX_VALUE;
        long lastProgress = System.nanoTime();
        Object last = null;
        while (true) {
            try {
                int now = left.call();
                last = now;
                if (now <= 0) return;
                if (now < least) {
                    least = now;
                    lastProgress = System.nanoTime();
                }
            } catch (Exception e) {
                last = e; // the node not answering is no progress
            }
            if (System.nanoTime() - lastProgress > STALL.toNanos())
                throw new AssertionError("no progress for " + STALL + " waiting for " + what.get() + "; still to come: " + last);
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return s.getLocalPort();
        }
    }
}

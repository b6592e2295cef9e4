package sluice.core.filter;

import sluice.core.filter.connection.ConnectionFilterStage;
import sluice.core.filter.connection.DnsBlockLists;
import sluice.core.filter.dkim.DkimSigner;
import sluice.core.filter.dkim.SignResult;
import sluice.core.filter.malware.MalwarePolicy;
import sluice.core.filter.malware.MalwareScanner;
import sluice.core.filter.malware.MalwareStage;
import sluice.core.filter.spam.OrgSpamModel;
import sluice.core.filter.spam.OrgSpamModels;
import sluice.core.filter.spam.SpamClassifier;
import sluice.core.filter.spam.SpamModel;
import sluice.core.filter.spam.SpamStage;
import sluice.core.filter.spoof.AntiSpoofing;
import sluice.core.filter.spoof.MapDns;
import sluice.core.filter.spoof.SpoofStage;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.rule.TransportRuleStage;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryPolicies;
import sluice.core.testing.MemoryTransportRules;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Not a test: the CPU the protection pipeline spends per message, in process and on one thread, for the message
 * bench/relay.sh sends (its meeting notes cut to 4 KiB, DKIM-signed rsa-sha256 relaxed/relaxed by example.net, whose
 * SPF, DKIM key and DMARC p=reject an in-memory DNS answers). The stages are those the server builds with protection
 * on and no clamd or Rspamd. After a warm-up (so the JIT has compiled the hot code: the relay benchmark's timed
 * phase also measures compilation), each pass times {@code n} messages with the calling thread's CPU time and prints
 * the median, least and most of the passes, then the bytes allocated per message on the calling thread (DKIM
 * verification runs on a thread of its own; its CPU and allocation are not counted). Between messages, outside the
 * timed part, it can walk {@code thrash} MiB of memory, as the server's other work evicts the caches. Run it with
 * bench/pipeline-cpu.sh; system properties: passes, n, warm (passes of n before timing), thrash, body.
 */
public final class PipelineCpuBench {

    public static void main(String[] args) throws Exception {
        int passes = Integer.getInteger("passes", 9);
        int n = Integer.getInteger("n", 2000);
        int warm = Integer.getInteger("warm", 3);
        long[] junk = new long[Integer.getInteger("thrash", 0) * 131072];

        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        MapDns dns = new MapDns()
                .txt("example.net", "v=spf1 ip4:127.0.0.0/8 -all")
                .txt("_dmarc.example.net", "v=DMARC1; p=reject; adkim=r; aspf=r")
                .txt("bench._domainkey.example.net", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        byte[] unsigned = message(Path.of(System.getProperty("body", "bench/relay-body.txt")), 4096);
        var signed = (SignResult.Signed) new DkimSigner(Domain.of("example.net"), "bench", pair.getPrivate(),
                InstantSource.system(), Duration.ZERO).sign(unsigned);
        byte[] content = signed.content();

        Pipeline pipeline = pipeline(dns);
        InetAddress client = InetAddress.getByName("127.0.0.1");
        List<Address> recipients = List.of(Address.parse("rcpt@bench.example"));
        Runnable one = () -> {
            pipeline.connected(client);
            pipeline.inspect(new Inspection("bench", false, QueuedMessage.Origin.INTERNET, client, client, "mail.example.net",
                    false, "sender@example.net", recipients, content));
        };

        pipeline.connected(client);
        Verdict verdict = pipeline.inspect(new Inspection("bench", false, QueuedMessage.Origin.INTERNET, client, client,
                "mail.example.net", false, "sender@example.net", recipients, content));
        System.out.println("verdict: " + verdict.toString().replaceAll("\\s*\\n\\s*", " | "));
        for (int i = 0; i < warm * n; i++) one.run();

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] ms = new double[passes];
        long touched = 0;
        for (int p = 0; p < passes; p++) {
            long spent = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < junk.length; j += 8) touched += junk[j]++;
                long t0 = threads.getCurrentThreadCpuTime();
                one.run();
                spent += threads.getCurrentThreadCpuTime() - t0;
            }
            ms[p] = spent / 1e6 / n;
        }
        long a0 = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) one.run();
        long allocated = (threads.getCurrentThreadAllocatedBytes() - a0) / 1000;

        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("CPU ms/msg: median %.3f  min %.3f  max %.3f  passes %s%n", sorted[passes / 2], sorted[0],
                sorted[passes - 1], Arrays.toString(Arrays.stream(ms).map(x -> Math.round(x * 1000) / 1000.0).toArray()));
        System.out.printf("allocated on the calling thread: %d bytes/msg%s%n", allocated, touched == 42 ? " " : "");
    }

    /** The relay benchmark's message: its headers, and whole lines of {@code body} up to {@code size} bytes. */
    private static byte[] message(Path body, int size) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        List<String> lines = Arrays.asList(Files.readString(body).split("\n", -1));
        for (int bytes = 0, i = 0; ; i++) {
            String line = lines.get(i % lines.size()).stripTrailing();
            if (bytes + line.length() + 2 > size) break;
            text.append(line).append("\r\n");
            bytes += line.length() + 2;
        }
        return ("From: Dana Whitfield <sender@example.net>\r\nTo: <rcpt@bench.example>\r\n"
                + "Subject: Notes from Tuesday's planning meeting\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\n"
                + "Message-ID: <0123456789abcdef.notes@example.net>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + text)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** As sluice.server.Protection builds it with protection on, no DNS block lists, clamd or Rspamd, and no rules. */
    private static Pipeline pipeline(MapDns dns) {
        MemoryPolicies policies = new MemoryPolicies();
        MemoryDirectory directory = new MemoryDirectory();
        MemoryTransportRules rules = new MemoryTransportRules();
        InstantSource clock = InstantSource.system();
        OrgSpamModels noTraining = new OrgSpamModels() {
            @Override public OrgSpamModel overlay(String organizationId) { return null; }
            @Override public void learn(String organizationId, byte[] message, boolean spam) { }
        };
        List<Stage> stages = new ArrayList<>();
        stages.add(new ConnectionFilterStage(policies, new DnsBlockLists(dns, List.of(), clock, Duration.ofSeconds(2))));
        stages.add(new MalwareStage(new MalwareScanner(MalwarePolicy.defaults(), null), policies));
        stages.add(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM));
        stages.add(new SpoofStage(new AntiSpoofing(dns, clock, new SecureRandom()), "sluice-bench.localdomain"));
        stages.add(new SpamStage(new SpamClassifier(SpamModel.loadDefault(), clock), noTraining));
        stages.add(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.AFTER_ANTI_SPAM));
        return new Pipeline(stages, policies);
    }
}

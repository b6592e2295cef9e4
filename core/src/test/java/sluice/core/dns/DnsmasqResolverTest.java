package sluice.core.dns;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sluice.core.mail.Domain;

import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The resolver against a real DNS server: dnsmasq, authoritative for a few local records. */
class DnsmasqResolverTest {

    private static Process dnsmasq;
    private static DnsJavaResolver dns;

    @BeforeAll
    static void start() throws Exception {
        String binary = find();
        if (binary == null) {
            String msg = "dnsmasq is not installed (apt-get install dnsmasq-base); the real-DNS test cannot run";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(msg + " and CI=true requires it");
            Assumptions.abort(msg);
        }
        // The port is picked by binding and releasing it, so another process may take it before dnsmasq
        // does: then dnsmasq cannot bind, and whatever holds the port answers instead. Only dnsmasq's own
        // answer counts as ready, and a start that does not get there is retried on a new port.
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                startOnFreePort(binary);
                return;
            } catch (AssertionError e) {
                last = e;
                stop();
            }
        }
        throw last;
    }

    private static void startOnFreePort(String binary) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) { port = s.getLocalPort(); }
        Path log = Files.createTempFile("dnsmasq", ".log");
        dnsmasq = new ProcessBuilder(binary, "--no-daemon", "--no-resolv", "--no-hosts", "--port=" + port,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--user=" + System.getProperty("user.name"),
                "--pid-file=",
                "--mx-host=mail.test,mx1.mail.test,10", "--mx-host=mail.test,mx2.mail.test,20",
                "--host-record=mx1.mail.test,127.0.0.31", "--host-record=mx2.mail.test,127.0.0.32,::1",
                "--txt-record=mail.test,v=spf1 -all", "--local=/test/")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        dns = new DnsJavaResolver(List.of("127.0.0.1:" + port), Duration.ofMillis(500), 3);
        // dnsmasq binds asynchronously: wait until it gives its own answer (and says it started)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!dnsmasq.isAlive()) throw new AssertionError("dnsmasq exited: " + Files.readString(log));
            try {
                if (dns.txt(Domain.of("mail.test")).equals(List.of("v=spf1 -all")) && Files.readString(log).contains("started")) return;
            } catch (Dns.DnsFailure | Dns.NoSuchDomain e) {
                // not (yet) dnsmasq on that port
            }
            if (System.nanoTime() > deadline) throw new AssertionError("dnsmasq does not answer on port " + port + ": " + Files.readString(log));
            Thread.sleep(20);
        }
    }

    private static String find() {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin")) {
            File f = new File(dir, "dnsmasq");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    @AfterAll
    static void stop() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(5, TimeUnit.SECONDS);
            dnsmasq = null;
        }
    }

    @Test
    void mxAndAddressesFromARealServer() throws Exception {
        assertThat(dns.mx(Domain.of("mail.test"))).containsExactly(
                new Dns.Mx(10, Domain.of("mx1.mail.test")), new Dns.Mx(20, Domain.of("mx2.mail.test")));
        assertThat(dns.addresses(Domain.of("mx2.mail.test")))
                .containsExactly(InetAddress.getByName("127.0.0.32"), InetAddress.getByName("::1"));
        assertThat(dns.txt(Domain.of("mail.test"))).containsExactly("v=spf1 -all");
    }

    @Test
    void unknownNameInALocalDomainIsNoSuchDomain() {
        assertThatThrownBy(() -> dns.mx(Domain.of("nobody.test"))).isInstanceOf(Dns.NoSuchDomain.class);
    }
}

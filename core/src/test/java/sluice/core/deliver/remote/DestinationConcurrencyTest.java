package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.dns.DnsStub;
import sluice.core.mail.HostPort;
import sluice.core.mail.QueuedMessage;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;
import sluice.smtp.testing.SmtpSink;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.ConnectionReuseTest.eventually;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.delivered;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/** Connections per destination are bounded, and a hung destination does not hold up another. */
class DestinationConcurrencyTest {

    private DnsStub dns;
    private SmtpSink sink;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
        sink = SmtpSink.on("127.0.0.71").start();
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        sink.close();
        dns.close();
    }

    private static Outcome send(SmtpRemoteDelivery d, String hostPort, String to) {
        QueuedMessage m = message("alice@sender.test", "x\r\n");
        var route = new Route.ToSmartHost(List.of(HostPort.parse(hostPort)), TlsPolicy.OPPORTUNISTIC, "Relay", true, false);
        return d.deliver(route, m, rcpts(m, to)).getFirst();
    }

    @Test
    void connectionsToOneDestinationAreBounded() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        sink.holdDataUntil(gate);
        var opts = RemoteFixture.options(25).withMaxConnectionsPerDestination(2);
        try (var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), opts)) {
            List<CompletableFuture<Outcome>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String to = "u" + i + "@dest.test";
                results.add(CompletableFuture.supplyAsync(() -> send(d, sink.hostPort(), to), threads));
            }
            var addr = new InetSocketAddress(sink.address(), sink.port());
            eventually(() -> d.waitingFor(sink.address(), addr, TlsPolicy.OPPORTUNISTIC) == 4 && sink.openSessions() == 2);
            assertThat(d.openConnections(sink.address(), addr, TlsPolicy.OPPORTUNISTIC)).isEqualTo(2);
            gate.countDown();
            for (var r : results) delivered(r.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertThat(sink.awaitMessages(6, WAIT)).hasSize(6);
        assertThat(sink.peakSessions()).isEqualTo(2);
        assertThat(sink.connections()).isEqualTo(2);
    }

    @Test
    void hungDestinationDoesNotStallAnother() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.72"));
             var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25).withMaxConnectionsPerDestination(1))) {
            CountDownLatch accepted = new CountDownLatch(1);
            List<Socket> held = new ArrayList<>();
            threads.submit(() -> {
                Socket s = hung.accept(); // accept, never greet
                held.add(s);
                accepted.countDown();
                return null;
            });
            var stuck = CompletableFuture.supplyAsync(() -> send(d, "127.0.0.72:" + hung.getLocalPort(), "a@hung.test"), threads);
            var queued = CompletableFuture.supplyAsync(() -> send(d, "127.0.0.72:" + hung.getLocalPort(), "b@hung.test"), threads);
            assertThat(accepted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            delivered(send(d, sink.hostPort(), "c@fine.test"));
            assertThat(stuck).isNotDone();
            assertThat(queued).isNotDone();

            held.getFirst().close(); // the hung host finally goes away
            assertThat(stuck.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Outcome.Deferred.class);
        }
    }

    /**
     * Domains that share a server share its connections, and a delivery waiting for one cannot be stopped there by
     * an administrator's change or shutdown: the wait is bounded, and a stalled server makes its deliveries defer.
     */
    @Test
    void aDeliveryThatFindsNoConnectionInTimeDefersInsteadOfWaitingOn() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.73"));
             var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25).withMaxConnectionsPerDestination(1)
                     .withConnectionWait(java.time.Duration.ofMillis(300)))) {
            CountDownLatch accepted = new CountDownLatch(1);
            List<Socket> held = new ArrayList<>();
            threads.submit(() -> {
                Socket s = hung.accept(); // accept, never greet
                held.add(s);
                accepted.countDown();
                return null;
            });
            String host = "127.0.0.73:" + hung.getLocalPort();
            var stuck = CompletableFuture.supplyAsync(() -> send(d, host, "a@one.test"), threads);
            assertThat(accepted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            Outcome second = send(d, host, "b@another-domain.test");
            assertThat(second).isEqualTo(new Outcome.Deferred("451 4.4.5 Too many connections to [127.0.0.73]:" + hung.getLocalPort()
                    + " already; will retry", "no connection to [127.0.0.73]:" + hung.getLocalPort()
                    + " came free in time (its limit is shared by every domain it serves)", true)); // not attempted: the queue does not count it
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("gave up after the wait, not the greeting timeout")
                    .isLessThan(WAIT.toMillis() / 2);
            assertThat(stuck).isNotDone();
            held.getFirst().close();
            assertThat(stuck.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Outcome.Deferred.class);
        }
    }
}

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

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/**
 * A delivery waiting for one of a busy server's connections when the node stops (its thread interrupted) sent
 * nothing: its deferral is no attempt, so the queue neither counts it nor replaces the recipient's last reply
 * with our "Delivery interrupted".
 */
class InterruptedWaitForAConnectionTest {

    private DnsStub dns;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        dns.close();
    }

    private static Outcome send(SmtpRemoteDelivery d, String host, String to) {
        QueuedMessage m = message("alice@sender.test", "x\r\n");
        var route = new Route.ToSmartHost(List.of(HostPort.parse(host)), TlsPolicy.OPPORTUNISTIC, "Relay", true, false);
        return d.deliver(route, m, rcpts(m, to)).getFirst();
    }

    @Test
    void anInterruptedWaitForAConnectionIsNoAttempt() throws Exception {
        try (HungServers hung = new HungServers(threads);
             var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25)
                     .withMaxConnectionsPerDestination(1).withConnectionWait(Duration.ofMinutes(5)))) {
            int port = hung.start("127.0.0.77", 0);
            String host = "127.0.0.77:" + port;
            var stuck = CompletableFuture.supplyAsync(() -> send(d, host, "a@one.test"), threads);
            assertThat(hung.awaitAccepted(1, WAIT)).isTrue(); // the one connection is taken, and stays so

            Thread[] waiter = new Thread[1];
            var waiting = CompletableFuture.supplyAsync(() -> {
                waiter[0] = Thread.currentThread();
                return send(d, host, "b@two.test");
            }, threads);
            InetSocketAddress address = new InetSocketAddress("127.0.0.77", port);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (d.waitingFor("127.0.0.77", address, TlsPolicy.OPPORTUNISTIC) == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(d.waitingFor("127.0.0.77", address, TlsPolicy.OPPORTUNISTIC)).as("waiting for the connection").isEqualTo(1);
            waiter[0].interrupt();

            assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.Deferred.class, o -> {
                assertThat(o.notAttempted()).isTrue();
                assertThat(o.reply()).startsWith("451 4.3.0 Delivery interrupted");
            });
            hung.close();
            assertThat(stuck.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Outcome.Deferred.class);
        }
    }
}

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

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/**
 * A route's first host refuses the connection (an attempt that failed), and its second has all its connections
 * in use by another delivery (not tried at all). The deferral is an attempt, and carries the first host's
 * reply: the queue keeps it as the recipient's last reply, not our own "Too many connections".
 */
class BusyHostAfterAFailedOneTest {

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

    private static Outcome send(SmtpRemoteDelivery d, List<String> hosts, String to) {
        QueuedMessage m = message("alice@sender.test", "x\r\n");
        var route = new Route.ToSmartHost(hosts.stream().map(HostPort::parse).toList(), TlsPolicy.OPPORTUNISTIC, "Relay",
                true, false);
        return d.deliver(route, m, rcpts(m, to)).getFirst();
    }

    @Test
    void theFailedHostsReplyWinsOverTheBusyOnesAndTheDeferralCounts() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.75"))) {
            closedPort = s.getLocalPort(); // nothing listens there once closed: the connection is refused
        }
        try (ServerSocket hung = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.76"));
             var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25)
                     .withMaxConnectionsPerDestination(1).withConnectionWait(Duration.ofMillis(300)))) {
            CountDownLatch accepted = new CountDownLatch(1);
            List<Socket> held = new ArrayList<>();
            threads.submit(() -> {
                Socket s = hung.accept(); // accept, never greet: the one connection stays taken
                held.add(s);
                accepted.countDown();
                return null;
            });
            String busy = "127.0.0.76:" + hung.getLocalPort();
            var stuck = CompletableFuture.supplyAsync(() -> send(d, List.of(busy), "a@one.test"), threads);
            assertThat(accepted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            Outcome o = send(d, List.of("127.0.0.75:" + closedPort, busy), "b@two.test");

            assertThat(o).isInstanceOfSatisfying(Outcome.Deferred.class, deferred -> {
                assertThat(deferred.notAttempted()).isFalse();
                assertThat(deferred.reply()).isEqualTo("451 4.4.1 Connection to [127.0.0.75]:" + closedPort + " failed");
                assertThat(deferred.detail()).contains("no connection to [127.0.0.76]:" + hung.getLocalPort() + " came free");
            });
            held.getFirst().close();
            assertThat(stuck.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Outcome.Deferred.class);
        }
    }
}

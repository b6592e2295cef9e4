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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
 * Which reply a deferral carries, and whether it was an attempt; the queue keeps that reply as the recipient's last
 * one, which its reports quote, and counts the deferral only when it was an attempt.
 * <ul>
 *   <li>A route's first host refuses the connection (an attempt that failed), and its second has all its connections
 *   in use by another delivery (not tried at all): an attempt, with the first host's reply, not our own "Too many
 *   connections".</li>
 *   <li>The first host answers 451 at its greeting, the second 554: deferred (not every host refused it for good),
 *   with the temporary reply. Carrying the 554 made the last reply a 5xx while the recipient was still tried, and
 *   its delay notice said "delayed" with a 5.x.x status.</li>
 *   <li>A delivery waiting for a busy server's connection when the node stops (its thread interrupted) sent
 *   nothing: no attempt, so the recipient's last reply is not replaced with our "Delivery interrupted".</li>
 * </ul>
 */
class WhatADeferralCarriesTest {

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

    /** A server that greets every connection with {@code greeting} and answers anything else 221, closing. */
    private ServerSocket greeting(String address, String greeting) throws Exception {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getByName(address));
        threads.submit(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write((greeting + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine() != null) {
                        out.write("221 2.0.0 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            return null;
        });
        return server;
    }

    @Test
    void theTemporaryReplyWinsOverALaterPermanentOne() throws Exception {
        try (ServerSocket later = greeting("127.0.0.78", "451 4.3.2 Not now");
             ServerSocket never = greeting("127.0.0.79", "554 5.7.1 Go away");
             var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25))) {
            Outcome o = send(d, List.of("127.0.0.78:" + later.getLocalPort(), "127.0.0.79:" + never.getLocalPort()),
                    "carol@remote.example");

            assertThat(o).isInstanceOfSatisfying(Outcome.Deferred.class, deferred -> {
                assertThat(deferred.reply()).isEqualTo("451 4.3.2 Not now");
                assertThat(deferred.notAttempted()).isFalse();
                assertThat(deferred.detail()).contains("554 5.7.1 Go away");
            });
        }
    }

    @Test
    void anInterruptedWaitForAConnectionIsNoAttempt() throws Exception {
        try (HungServers hung = new HungServers(threads);
             var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25)
                     .withMaxConnectionsPerDestination(1).withConnectionWait(Duration.ofMinutes(5)))) {
            int port = hung.start("127.0.0.77", 0);
            String host = "127.0.0.77:" + port;
            var stuck = CompletableFuture.supplyAsync(() -> send(d, List.of(host), "a@one.test"), threads);
            assertThat(hung.awaitAccepted(1, WAIT)).isTrue(); // the one connection is taken, and stays so

            var waiter = new java.util.concurrent.atomic.AtomicReference<Thread>();
            var waiting = CompletableFuture.supplyAsync(() -> {
                waiter.set(Thread.currentThread());
                return send(d, List.of(host), "b@two.test");
            }, threads);
            InetSocketAddress address = new InetSocketAddress("127.0.0.77", port);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (d.waitingFor("127.0.0.77", address, TlsPolicy.OPPORTUNISTIC) == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(d.waitingFor("127.0.0.77", address, TlsPolicy.OPPORTUNISTIC)).as("waiting for the connection").isEqualTo(1);
            waiter.get().interrupt();

            assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOfSatisfying(Outcome.Deferred.class, o -> {
                assertThat(o.notAttempted()).isTrue();
                assertThat(o.reply()).startsWith("451 4.3.0 Delivery interrupted");
            });
            hung.close();
            assertThat(stuck.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Outcome.Deferred.class);
        }
    }
}

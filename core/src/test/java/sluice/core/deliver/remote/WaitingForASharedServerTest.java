package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.dns.DnsStub;
import sluice.core.mail.HostPort;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.route.Route;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.route.TlsPolicy;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.smtp.client.Timeouts;
import sluice.smtp.testing.SmtpSink;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.ConnectionReuseTest.eventually;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;

/**
 * Recipient domains hosted by one server (a provider's MX) share its connections, and a delivery may
 * wait for one of them. It waits holding its domain's share only: it takes one of the node's delivery
 * slots once it holds its connection, and reads the message's body only then. So a stalled or
 * saturated shared server leaves the node's slots to other destinations.
 */
class WaitingForASharedServerTest {

    private final DnsStub dns = DnsStub.start("127.0.0.1");
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HungServers hung = new HungServers(threads);
    private SmtpSink sink;
    private SmtpRemoteDelivery remote;
    private QueueRunner runner;

    @AfterEach
    void stop() throws Exception {
        hung.close(); // first, or a delivery let in next would connect and wait for the greeting
        if (runner != null) runner.close();
        if (remote != null) remote.close();
        if (sink != null) sink.close();
        threads.shutdownNow();
        dns.close();
    }

    /** One connection per server, waited for up to 30 s, and timeouts long enough that nothing gives up during a test. */
    private SmtpRemoteDelivery remote(int mxPort) {
        return new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(mxPort)
                .withTimeouts(Timeouts.uniform(Duration.ofSeconds(30))).withMaxConnectionsPerDestination(1)
                .withConnectionWait(Duration.ofSeconds(30)));
    }

    private void submit(MemorySpool spool, String to) {
        QueuedMessage m = RemoteFixture.message("bob@example.net", "Subject: hi\r\n\r\nHello\r\n");
        List<QueuedRecipient> rs = RemoteFixture.rcpts(m, to);
        spool.enqueue(m, rs);
        runner.submit(m, rs);
    }

    @Test
    void aDeliveryWaitingForASharedServersConnectionLeavesTheNodeSlotToAnotherDestination() throws Exception {
        int port = hung.start("127.0.0.81", 0);
        sink = SmtpSink.on("127.0.0.82").port(port).start(); // MX delivery uses one port for every host
        dns.a("mx.shared.test", "127.0.0.81").a("mx.fine.test", "127.0.0.82")
                .mx("one.test", 10, "mx.shared.test").mx("two.test", 10, "mx.shared.test").mx("fine.test", 10, "mx.fine.test");
        remote = remote(port);
        MemorySpool spool = new MemorySpool();
        Router internetOnly = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, internetOnly, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), Clock.systemUTC(), threads,
                RetrySchedule.DEFAULT, 2, 2, "mx.sluice.test");

        submit(spool, "a@one.test");
        assertThat(hung.awaitAccepted(1, WAIT)).as("one.test holds the shared server's connection").isTrue();
        submit(spool, "b@two.test");
        var shared = new InetSocketAddress(InetAddress.getByName("127.0.0.81"), port);
        eventually(() -> remote.waitingFor("mx.shared.test", shared, TlsPolicy.OPPORTUNISTIC) == 1);

        submit(spool, "c@fine.test");
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(5))).as("delivered with the node's other slot, while two.test waits")
                .hasSize(1);
        assertThat(remote.waitingFor("mx.shared.test", shared, TlsPolicy.OPPORTUNISTIC)).isEqualTo(1);
    }

    @Test
    void theTransactionIsAdmittedAndTheBodyReadOnlyOnceTheConnectionIsHeld() throws Exception {
        int port = hung.start("127.0.0.83", 0);
        remote = remote(port);
        AtomicInteger admitted = new AtomicInteger();
        Admission counting = new Admission() {
            @Override
            public <T> T admit(Supplier<T> transaction) {
                admitted.incrementAndGet();
                return transaction.get();
            }
        };
        AtomicInteger bodiesRead = new AtomicInteger();
        var route = new Route.ToSmartHost(List.of(HostPort.parse("127.0.0.83:" + port)), TlsPolicy.OPPORTUNISTIC, "Relay", true, false);
        Supplier<CompletableFuture<List<Outcome>>> send = () -> CompletableFuture.supplyAsync(() -> {
            QueuedMessage m = RemoteFixture.message("bob@example.net", "Subject: hi\r\n\r\nHello\r\n");
            Supplier<QueuedMessage> body = () -> {
                bodiesRead.incrementAndGet();
                return m;
            };
            try {
                return remote.deliver(route, body, RemoteFixture.rcpts(m, "a@partner.test"), counting);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);

        var first = send.get();
        assertThat(hung.awaitAccepted(1, WAIT)).isTrue();
        var second = send.get();
        var address = new InetSocketAddress(InetAddress.getByName("127.0.0.83"), port);
        eventually(() -> remote.waitingFor("127.0.0.83", address, TlsPolicy.OPPORTUNISTIC) == 1);
        assertThat(admitted.get()).as("only the delivery holding the connection").isEqualTo(1);
        assertThat(bodiesRead.get()).as("the waiting one holds no body").isEqualTo(1);

        hung.close(); // the server goes away: the first defers, the second is admitted and defers
        assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS).getFirst()).isInstanceOf(Outcome.Deferred.class);
        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS).getFirst()).isInstanceOf(Outcome.Deferred.class);
        assertThat(admitted.get()).isEqualTo(2);
    }
}

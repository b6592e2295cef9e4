package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.dns.DnsStub;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
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
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.ConnectionReuseTest.eventually;

/**
 * A delivery that holds a shared server's connection permit but finds every node slot taken lets the permit go
 * while it waits: nothing is open, and the server's other domains must not be deferred ("too many connections")
 * for a permit nobody uses. (Found by a review of the per-transaction admission.)
 */
class WaitingForANodeSlotHoldsNoPermitTest {
    private final DnsStub dns = DnsStub.start("127.0.0.1");
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HungServers hung = new HungServers(threads);
    private SmtpSink sink;
    private SmtpRemoteDelivery remote;
    private QueueRunner runner;

    @AfterEach
    void stop() throws Exception {
        hung.close();
        if (runner != null) runner.close();
        if (remote != null) remote.close();
        if (sink != null) sink.close();
        threads.shutdownNow();
        dns.close();
    }

    private QueuedMessage submit(MemorySpool spool, String to) {
        QueuedMessage m = RemoteFixture.message("bob@example.net", "Subject: hi\r\n\r\nHello\r\n");
        List<QueuedRecipient> rs = RemoteFixture.rcpts(m, to);
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m;
    }

    @Test
    void anotherDomainOfTheSameServerWaitsForASlotInsteadOfBeingDeferred() throws Exception {
        ServerSocket probe = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.91"));
        int port = probe.getLocalPort();
        probe.close();
        hung.start("127.0.0.91", port);
        hung.start("127.0.0.92", port);
        sink = SmtpSink.on("127.0.0.93").port(port).start();
        dns.a("mx.s1.test", "127.0.0.91").a("mx.s2.test", "127.0.0.92").a("mx.shared.test", "127.0.0.93")
                .mx("s1.test", 10, "mx.s1.test").mx("s2.test", 10, "mx.s2.test")
                .mx("one.test", 10, "mx.shared.test").mx("two.test", 10, "mx.shared.test");
        remote = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(port)
                .withTimeouts(Timeouts.uniform(Duration.ofSeconds(60))).withMaxConnectionsPerDestination(1)
                .withConnectionWait(Duration.ofSeconds(1)));
        MemorySpool spool = new MemorySpool();
        Router internetOnly = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, internetOnly, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), Clock.systemUTC(), threads,
                RetrySchedule.DEFAULT, 2, 1, "mx.sluice.test");
        submit(spool, "x@s1.test");
        submit(spool, "y@s2.test");
        assertThat(hung.awaitAccepted(2, Duration.ofSeconds(20))).isTrue(); // both node slots now transact with stalled servers
        QueuedMessage a = submit(spool, "a@one.test");
        QueuedMessage b = submit(spool, "b@two.test");
        Thread.sleep(2500); // well past the 1 s connection wait

        assertThat(spool.recipients(b.id()).getFirst().attempts()).as("b waits for a slot, not deferred for a permit").isZero();
        assertThat(spool.recipients(a.id()).getFirst().attempts()).isZero();
        assertThat(remote.openConnections("mx.shared.test", new InetSocketAddress(InetAddress.getByName("127.0.0.93"), port),
                TlsPolicy.OPPORTUNISTIC)).isZero();

        hung.close(); // the stalled servers go away: their slots come free
        assertThat(sink.awaitMessages(2, Duration.ofSeconds(20))).hasSize(2);
        eventually(() -> spool.recipients(a.id()).isEmpty() && spool.recipients(b.id()).isEmpty()); // delivered, so done
    }
}

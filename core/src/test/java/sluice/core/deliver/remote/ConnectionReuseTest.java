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
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.delivered;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/** Idle connections are reused with RSET, retired when idle too long, and replaced when stale. */
class ConnectionReuseTest {

    private DnsStub dns;
    private SmtpSink relay;

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
        relay = SmtpSink.on("127.0.0.61").start();
    }

    @AfterEach
    void stop() {
        relay.close();
        dns.close();
    }

    private Outcome send(SmtpRemoteDelivery d, TlsPolicy tls, String to) {
        QueuedMessage m = message("alice@sender.test", "Subject: " + to + "\r\n\r\nx\r\n");
        var route = new Route.ToSmartHost(List.of(HostPort.parse(relay.hostPort())), tls, "OnPrem", true, false);
        return d.deliver(route, m, rcpts(m, to)).getFirst();
    }

    @Test
    void consecutiveMessagesShareOneConnection() throws Exception {
        try (var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25))) {
            for (int i = 0; i < 3; i++) delivered(send(d, TlsPolicy.OPPORTUNISTIC, "u" + i + "@onprem.test"));
        }
        List<SinkMessage> got = relay.awaitMessages(3, WAIT);
        assertThat(got).extracting(SinkMessage::connection).containsExactly(1, 1, 1);
        assertThat(relay.connections()).isEqualTo(1);
    }

    @Test
    void connectionsUnderDifferentTlsPoliciesAreNotShared() throws Exception {
        try (var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25))) {
            delivered(send(d, TlsPolicy.OPPORTUNISTIC, "a@onprem.test"));
            Outcome o = send(d, new TlsPolicy.EncryptionOnly(), "b@onprem.test");
            assertThat(o).isInstanceOf(Outcome.Deferred.class); // plaintext sink: never over the reused plaintext connection
        }
        assertThat(relay.connections()).isEqualTo(2);
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        var opts = RemoteFixture.options(25).withIdleTimeout(Duration.ofMillis(200));
        try (var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), opts)) {
            delivered(send(d, TlsPolicy.OPPORTUNISTIC, "a@onprem.test"));
            eventually(() -> relay.openSessions() == 0);
            delivered(send(d, TlsPolicy.OPPORTUNISTIC, "b@onprem.test"));
        }
        assertThat(relay.connections()).isEqualTo(2);
    }

    @Test
    void staleConnectionIsReplacedWithoutLosingTheMessage() throws Exception {
        try (var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25))) {
            delivered(send(d, TlsPolicy.OPPORTUNISTIC, "a@onprem.test"));
            relay.disconnectAll();
            eventually(() -> relay.openSessions() == 0);
            delivered(send(d, TlsPolicy.OPPORTUNISTIC, "b@onprem.test"));
        }
        assertThat(relay.awaitMessages(2, WAIT)).extracting(SinkMessage::connection).containsExactly(1, 2);
    }

    @Test
    void connectionIsRetiredAfterMaxMessages() throws Exception {
        var opts = RemoteFixture.options(25).withMaxMessagesPerConnection(2);
        try (var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), opts)) {
            for (int i = 0; i < 3; i++) delivered(send(d, TlsPolicy.OPPORTUNISTIC, "u" + i + "@onprem.test"));
        }
        assertThat(relay.awaitMessages(3, WAIT)).extracting(SinkMessage::connection).containsExactly(1, 1, 2);
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + WAIT);
            Thread.sleep(10);
        }
    }
}

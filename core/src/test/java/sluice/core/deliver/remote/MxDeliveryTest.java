package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.dns.DnsStub;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;
import sluice.smtp.Reply;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.delivered;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/** Delivery to the internet: MX look-up, fallbacks, and what each remote answer becomes. */
class MxDeliveryTest {

    private DnsStub dns;
    private SmtpSink mx1;
    private SmtpSink mx2;
    private SmtpRemoteDelivery delivery;

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
        mx1 = SmtpSink.on("127.0.0.41").hostname("mx1.example.test").start();
        mx2 = SmtpSink.on("127.0.0.42").port(mx1.port()).hostname("mx2.example.test").start();
        dns.a("mx1.example.test", "127.0.0.41").a("mx2.example.test", "127.0.0.42");
        delivery = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(mx1.port()));
    }

    @AfterEach
    void stop() {
        delivery.close();
        mx1.close();
        mx2.close();
        dns.close();
    }

    private List<Outcome> send(String domain, String... to) {
        QueuedMessage m = message("alice@sender.test", "Subject: hi\r\n\r\nhello\r\n");
        return delivery.deliver(new Route.ToMx(Domain.of(domain), TlsPolicy.OPPORTUNISTIC), m, rcpts(m, to));
    }

    @Test
    void lowestPreferenceMxGetsTheMail() throws Exception {
        dns.mx("example.test", 20, "mx2.example.test").mx("example.test", 10, "mx1.example.test");
        Outcome.Delivered d = delivered(send("example.test", "bob@example.test").getFirst());
        assertThat(d.reply()).isEqualTo("250 2.0.0 Ok: queued as 1");
        assertThat(d.remoteHost()).isEqualTo("mx1.example.test[127.0.0.41]:" + mx1.port());
        assertThat(d.tls()).isNull();
        SinkMessage got = mx1.awaitMessages(1, WAIT).getFirst();
        assertThat(got.mailFrom()).isEqualTo("alice@sender.test");
        assertThat(got.helo()).isEqualTo("out.sluice.test");
        assertThat(got.text()).isEqualTo("Subject: hi\r\n\r\nhello\r\n");
        assertThat(mx2.messages()).isEmpty();
    }

    @Test
    void nextMxIsTriedWhenTheFirstIsDown() throws Exception {
        mx1.close();
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test");
        Outcome.Delivered d = delivered(send("example.test", "bob@example.test").getFirst());
        assertThat(d.remoteHost()).startsWith("mx2.example.test[127.0.0.42]");
        assertThat(mx2.awaitMessages(1, WAIT)).hasSize(1);
    }

    @Test
    void nextMxIsTriedAfterA4xxGreeting() throws Exception {
        mx1.greeting(Reply.of(421, "4.3.2", "Too busy"));
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test");
        delivered(send("example.test", "bob@example.test").getFirst());
        assertThat(mx2.awaitMessages(1, WAIT)).hasSize(1);
    }

    @Test
    void allMxDownDefersWithEveryHostInTheDetail() {
        mx1.close();
        mx2.close();
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test");
        Outcome o = send("example.test", "bob@example.test").getFirst();
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply()).isEqualTo("451 4.4.1 Connection to mx2.example.test[127.0.0.42]:" + mx1.port() + " failed");
        assertThat(o.detail()).contains("mx1.example.test[127.0.0.41]").contains("mx2.example.test[127.0.0.42]");
    }

    @Test
    void allMxRefusingWith5xxGreetingBounces() {
        mx1.greeting(Reply.of(554, "5.7.1", "No service"));
        dns.mx("example.test", 10, "mx1.example.test");
        Outcome o = send("example.test", "bob@example.test").getFirst();
        assertThat(o).isEqualTo(new Outcome.Bounced("554 5.7.1 No service", o.detail()));
    }

    @Test
    void domainWithoutMxIsDeliveredToItsAddress() throws Exception {
        dns.a("plain.test", "127.0.0.42");
        delivered(send("plain.test", "bob@plain.test").getFirst());
        assertThat(mx2.awaitMessages(1, WAIT).getFirst().rcptTo()).containsExactly("bob@plain.test");
    }

    @Test
    void domainWithoutMxOrAddressBounces() {
        dns.txt("noaddr.test", "v=spf1 -all");
        assertThat(send("noaddr.test", "bob@noaddr.test").getFirst()).isEqualTo(new Outcome.Bounced(
                "550 5.4.4 Unable to route: noaddr.test has no MX and no address records", "noaddr.test has no A/AAAA records"));
    }

    @Test
    void nullMxBouncesWithoutConnecting() {
        dns.nullMx("nomail.test");
        assertThat(send("nomail.test", "bob@nomail.test").getFirst()).isEqualTo(new Outcome.Bounced(
                "556 5.1.10 Recipient domain nomail.test does not accept mail (null MX)", "nomail.test publishes a null MX (RFC 7505)"));
    }

    @Test
    void nonexistentDomainBounces() {
        Outcome o = send("nowhere.test", "bob@nowhere.test").getFirst();
        assertThat(o).isEqualTo(new Outcome.Bounced("550 5.1.2 Host or domain name not found: nowhere.test does not exist",
                "MX lookup: nowhere.test: no such domain"));
    }

    @Test
    void dnsFailureDefers() {
        dns.servfail("broken.test");
        List<Outcome> out = send("broken.test", "a@broken.test", "b@broken.test");
        assertThat(out).hasSize(2).allMatch(o -> o.equals(new Outcome.Deferred("451 4.4.3 DNS lookup for broken.test failed; will retry",
                "MX lookup: DNS server answered SERVFAIL for broken.test/MX")));
    }

    @Test
    void mxHostLookupFailureDefers() {
        dns.mx("example.test", 10, "lost.example.test").servfail("lost.example.test");
        Outcome o = send("example.test", "bob@example.test").getFirst();
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply()).isEqualTo("451 4.4.3 DNS lookup for the mail hosts of example.test failed; will retry");
    }

    @Test
    void eachRecipientGetsItsOwnOutcome() throws Exception {
        dns.mx("example.test", 10, "mx1.example.test");
        mx1.replyToRcpt("full@example.test", Reply.of(452, "4.2.2", "Mailbox full"));
        mx1.replyToRcpt("gone@example.test", Reply.of(550, "5.1.1", "No such user"));
        List<Outcome> out = send("example.test", "full@example.test", "ok@example.test", "gone@example.test");
        assertThat(out.get(0)).isEqualTo(new Outcome.Deferred("452 4.2.2 Mailbox full",
                "mx1.example.test[127.0.0.41]:" + mx1.port() + " said: 452 4.2.2 Mailbox full (in reply to RCPT TO)"));
        assertThat(delivered(out.get(1)).reply()).isEqualTo("250 2.0.0 Ok: queued as 1");
        assertThat(out.get(2)).isInstanceOf(Outcome.Bounced.class);
        assertThat(out.get(2).reply()).isEqualTo("550 5.1.1 No such user");
        assertThat(mx1.awaitMessages(1, WAIT).getFirst().rcptTo()).containsExactly("ok@example.test");
    }

    @Test
    void dataReplyAppliesToEveryAcceptedRecipient() {
        dns.mx("example.test", 10, "mx1.example.test");
        mx1.replyToData(Reply.of(554, "5.7.1", "Spam"));
        mx1.replyToRcpt("later@example.test", Reply.of(450, "4.2.1", "Later"));
        List<Outcome> out = send("example.test", "a@example.test", "later@example.test", "b@example.test");
        assertThat(out.get(0)).isEqualTo(out.get(2)).isInstanceOf(Outcome.Bounced.class);
        assertThat(out.get(0).reply()).isEqualTo("554 5.7.1 Spam");
        assertThat(out.get(0).detail()).endsWith("(in reply to DATA)");
        assertThat(out.get(1)).isInstanceOf(Outcome.Deferred.class);
    }

    @Test
    void replyWithoutEnhancedCodeGetsTheGenericOne() {
        dns.mx("example.test", 10, "mx1.example.test");
        mx1.replyToData(Reply.of(451, "local error"));
        assertThat(send("example.test", "a@example.test").getFirst().reply()).isEqualTo("451 4.0.0 local error");
    }

    @Test
    void connectionLostDuringDataDefersWithoutTryingTheNextMx() {
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test");
        mx1.dropAt(SmtpSink.Phase.DATA_END);
        Outcome o = send("example.test", "a@example.test").getFirst();
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply()).isEqualTo("451 4.4.2 Lost connection with mx1.example.test[127.0.0.41]:" + mx1.port() + " during DATA");
        assertThat(mx2.messages()).isEmpty();
    }

    @Test
    void messageLargerThanTheRemoteLimitBounces() throws Exception {
        try (SmtpSink small = SmtpSink.on("127.0.0.43").port(mx1.port()).maxSize(10).start()) {
            dns.mx("small.test", 10, "mx.small.test").a("mx.small.test", "127.0.0.43");
            Outcome o = send("small.test", "a@small.test").getFirst();
            assertThat(o).isInstanceOf(Outcome.Bounced.class);
            assertThat(o.reply()).startsWith("552 5.3.4 Message too big for mx.small.test[127.0.0.43]");
            assertThat(small.messages()).isEmpty();
        }
    }

    @Test
    void nonAsciiRecipientNeedsSmtpUtf8() throws Exception {
        try (SmtpSink old = SmtpSink.on("127.0.0.43").port(mx1.port()).without("SMTPUTF8").start()) {
            dns.mx("old.test", 10, "mx.old.test").a("mx.old.test", "127.0.0.43");
            Outcome o = send("old.test", "jürgen@old.test").getFirst();
            assertThat(o).isInstanceOf(Outcome.Bounced.class);
            assertThat(o.reply()).startsWith("550 5.6.7 Non-ASCII address requires SMTPUTF8");
            assertThat(old.messages()).isEmpty();
        }
        dns.mx("example.test", 10, "mx1.example.test");
        delivered(send("example.test", "jürgen@example.test").getFirst());
        assertThat(mx1.awaitMessages(1, WAIT).getFirst().mailLine()).contains(" SMTPUTF8");
    }

    /** A host without SMTPUTF8 or 8BITMIME refuses such mail for itself only: a later MX that offers it gets the mail. */
    @Test
    void aLaterMxThatOffersSmtpUtf8OrEightBitMimeIsTried() throws Exception {
        try (SmtpSink old = SmtpSink.on("127.0.0.43").port(mx1.port()).without("SMTPUTF8").without("8BITMIME").start()) {
            dns.mx("mixed.test", 10, "mx.old.test").mx("mixed.test", 20, "mx2.example.test").a("mx.old.test", "127.0.0.43");
            delivered(send("mixed.test", "jürgen@mixed.test").getFirst());
            assertThat(mx2.awaitMessages(1, WAIT).getFirst().mailLine()).contains(" SMTPUTF8");

            QueuedMessage encoded = message("alice@sender.test", "Content-Transfer-Encoding: base64\r\n\r\nAA\u00e9==\r\n");
            delivered(delivery.deliver(new Route.ToMx(Domain.of("mixed.test"), TlsPolicy.OPPORTUNISTIC), encoded,
                    rcpts(encoded, "bob@mixed.test")).getFirst());
            assertThat(mx2.awaitMessages(2, WAIT).getLast().mailLine()).contains(" BODY=8BITMIME");
            assertThat(old.messages()).isEmpty();
        }
    }

    @Test
    void eightBitContentIsAnnouncedAsEightBitMime() throws Exception {
        dns.mx("example.test", 10, "mx1.example.test");
        QueuedMessage m = message("alice@sender.test", "Subject: cafe\r\n\r\n\u00e9\r\n");
        delivered(delivery.deliver(new Route.ToMx(Domain.of("example.test"), TlsPolicy.OPPORTUNISTIC), m, rcpts(m, "b@example.test")).getFirst());
        assertThat(mx1.awaitMessages(1, WAIT).getFirst().mailLine()).isEqualTo("MAIL FROM:<alice@sender.test> SIZE=" + m.content().length + " BODY=8BITMIME");
    }

    @Test
    void smartHostListIsTriedInOrder() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.44"))) { deadPort = s.getLocalPort(); }
        dns.a("relay.partner.test", "127.0.0.42");
        QueuedMessage m = message("alice@sender.test", "x\r\n");
        var route = new Route.ToSmartHost(List.of(sluice.core.mail.HostPort.parse("127.0.0.44:" + deadPort),
                sluice.core.mail.HostPort.parse("relay.partner.test:" + mx2.port())), TlsPolicy.OPPORTUNISTIC, "Partner A", true, true);
        Outcome.Delivered d = delivered(delivery.deliver(route, m, rcpts(m, "b@partner.test")).getFirst());
        assertThat(d.remoteHost()).isEqualTo("relay.partner.test[127.0.0.42]:" + mx2.port());
    }

    @Test
    void ipv6LiteralSmartHost() throws Exception {
        try (SmtpSink v6 = SmtpSink.on("::1").start()) {
            QueuedMessage m = message("alice@sender.test", "x\r\n");
            var route = new Route.ToSmartHost(List.of(sluice.core.mail.HostPort.parse("[::1]:" + v6.port())), TlsPolicy.OPPORTUNISTIC, "V6", true, true);
            Outcome.Delivered d = delivered(delivery.deliver(route, m, rcpts(m, "b@partner.test")).getFirst());
            assertThat(d.remoteHost()).isEqualTo("[0:0:0:0:0:0:0:1]:" + v6.port());
            assertThat(v6.awaitMessages(1, WAIT)).hasSize(1);
        }
    }

    @Test
    void unresolvableSmartHostDefers() {
        QueuedMessage m = message("alice@sender.test", "x\r\n");
        var route = new Route.ToSmartHost(List.of(sluice.core.mail.HostPort.parse("nohost.test")), TlsPolicy.OPPORTUNISTIC, "Partner A", true, true);
        assertThat(delivery.deliver(route, m, rcpts(m, "b@partner.test")).getFirst()).isEqualTo(new Outcome.Deferred(
                "451 4.4.3 Smart hosts of connector Partner A could not be resolved", "nohost.test does not exist"));
    }
}

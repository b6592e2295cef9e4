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
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.delivered;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/**
 * A message whose client asked for SMTPUTF8 (RFC 6531), as Postfix delivers it: every next hop that offers SMTPUTF8 is
 * asked for it too; one that does not gets it without the parameter when its envelope and header section are ASCII, and
 * refuses it (5.6.7, this host only: a later MX is tried) when its header has UTF-8 (RFC 6532). A message whose client
 * did not ask goes as before: its UTF-8 header, without the parameter, to every hop.
 */
class SmtpUtf8RequestedByTheClientTest {

    private static final String UTF8_SUBJECT = "Subject: Gr\u00fc\u00dfe\r\n\r\nascii body\r\n";

    private DnsStub dns;
    private SmtpSink modern;
    private SmtpSink legacy;
    private SmtpRemoteDelivery delivery;

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
        modern = SmtpSink.on("127.0.0.91").hostname("mx.modern.test").start();
        legacy = SmtpSink.on("127.0.0.92").port(modern.port()).hostname("mx.legacy.test").without("SMTPUTF8").start();
        dns.a("mx.modern.test", "127.0.0.91").a("mx.legacy.test", "127.0.0.92");
        dns.mx("modern.test", 10, "mx.modern.test");
        dns.mx("legacy.test", 10, "mx.legacy.test");
        dns.mx("mixed.test", 10, "mx.legacy.test").mx("mixed.test", 20, "mx.modern.test");
        delivery = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(modern.port()));
    }

    @AfterEach
    void stop() {
        delivery.close();
        modern.close();
        legacy.close();
        dns.close();
    }

    private Outcome send(String content, boolean smtpUtf8, String to) {
        QueuedMessage m = message("alice@sender.test", content).withSmtpUtf8(smtpUtf8);
        String domain = to.substring(to.indexOf('@') + 1);
        return delivery.deliver(new Route.ToMx(Domain.of(domain), TlsPolicy.OPPORTUNISTIC), m, rcpts(m, to)).getFirst();
    }

    @Test
    void aHopThatOffersSmtpUtf8IsAskedForItAsTheClientWas() throws Exception {
        delivered(send(UTF8_SUBJECT, true, "bob@modern.test"));
        SinkMessage got = modern.awaitMessages(1, WAIT).getFirst();
        assertThat(got.mailLine()).isEqualTo("MAIL FROM:<alice@sender.test> SIZE=" + UTF8_SUBJECT.getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length + " BODY=8BITMIME SMTPUTF8");
        assertThat(got.text()).isEqualTo(UTF8_SUBJECT);
    }

    @Test
    void aUtf8HeaderIsRefusedByAHopWithoutSmtpUtf8() {
        Outcome o = send(UTF8_SUBJECT, true, "bob@legacy.test");
        assertThat(o).isInstanceOf(Outcome.Bounced.class);
        assertThat(o.reply()).isEqualTo("550 5.6.7 Non-ASCII header requires SMTPUTF8, which mx.legacy.test[127.0.0.92]:"
                + legacy.port() + " does not support");
        assertThat(o.detail()).contains("did not offer SMTPUTF8; the message was received with SMTPUTF8");
        assertThat(legacy.messages()).isEmpty();
    }

    @Test
    void aLaterMxThatOffersSmtpUtf8GetsTheUtf8Header() throws Exception {
        delivered(send(UTF8_SUBJECT, true, "bob@mixed.test"));
        assertThat(modern.awaitMessages(1, WAIT).getFirst().mailLine()).endsWith(" SMTPUTF8");
        assertThat(legacy.messages()).isEmpty();
    }

    @Test
    void anAllAsciiMessageGoesToAHopWithoutSmtpUtf8WithoutTheParameter() throws Exception {
        String ascii = "Subject: hello\r\n\r\nascii body\r\n";
        delivered(send(ascii, true, "bob@legacy.test"));
        SinkMessage got = legacy.awaitMessages(1, WAIT).getFirst();
        assertThat(got.mailLine()).isEqualTo("MAIL FROM:<alice@sender.test> SIZE=" + ascii.length());
        assertThat(got.text()).isEqualTo(ascii);
    }

    /** Only the header section counts: UTF-8 in the body is 8BITMIME's business, not SMTPUTF8's. */
    @Test
    void aUtf8BodyUnderAnAsciiHeaderGoesToAHopWithoutSmtpUtf8() throws Exception {
        String body = "Subject: hello\r\n\r\nGr\u00fc\u00dfe\r\n";
        delivered(send(body, true, "bob@legacy.test"));
        SinkMessage got = legacy.awaitMessages(1, WAIT).getFirst();
        assertThat(got.mailLine()).endsWith(" BODY=8BITMIME");
        assertThat(got.text()).isEqualTo(body);
    }

    @Test
    void withoutTheClientsRequestAUtf8HeaderGoesWithoutTheParameterToEveryHop() throws Exception {
        delivered(send(UTF8_SUBJECT, false, "bob@modern.test"));
        assertThat(modern.awaitMessages(1, WAIT).getFirst().mailLine()).doesNotContain("SMTPUTF8");
        delivered(send(UTF8_SUBJECT, false, "bob@legacy.test"));
        SinkMessage old = legacy.awaitMessages(1, WAIT).getFirst();
        assertThat(old.mailLine()).doesNotContain("SMTPUTF8");
        assertThat(old.text()).isEqualTo(UTF8_SUBJECT);
    }

    /** A non-ASCII address needs SMTPUTF8 whether the client asked or not: the header wording is for the header only. */
    @Test
    void aNonAsciiAddressStillNamesTheAddress() {
        Outcome o = send(UTF8_SUBJECT, true, "j\u00fcrgen@legacy.test");
        assertThat(o.reply()).startsWith("550 5.6.7 Non-ASCII address requires SMTPUTF8, which mx.legacy.test");
    }
}

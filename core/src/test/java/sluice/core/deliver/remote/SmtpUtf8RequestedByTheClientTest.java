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
 * asked for it too; one that does not gets it without the parameter when its envelope and header blocks are ASCII, and
 * refuses it (5.6.9, this host only: a later MX is tried) when a header block, the message's or a MIME part's, has UTF-8
 * (RFC 6532). A message whose client did not ask goes as before: its UTF-8 headers, without the parameter, to every hop.
 */
class SmtpUtf8RequestedByTheClientTest {

    private static final String UTF8_SUBJECT = "Subject: Gr\u00fc\u00dfe\r\n\r\nascii body\r\n";

    /** ASCII top-level header; an attachment's file name in raw UTF-8 in its part header. */
    private static final String UTF8_FILE_NAME = "Subject: hello\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n"
            + "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"r\u00e9sum\u00e9.pdf\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nQUJD\r\n--b--\r\n";

    /** An enclosed message/rfc822 whose own header has UTF-8: part of the message's header blocks. */
    private static final String UTF8_ENCLOSED_HEADER = "Subject: fwd\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            + "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: Gr\u00fc\u00dfe\r\n\r\nHallo\r\n--b--\r\n";

    /** A message/global part with UTF-8 in its content's header: content, which RFC 6532 section 3.7 lets be encoded. */
    private static final String GLOBAL_PART = "Subject: fwd\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            + "--b\r\nContent-Type: message/global\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "From: j\u00f6rg@example.de\r\nSubject: Gr\u00fc\u00dfe\r\n\r\nHallo\r\n--b--\r\n";

    private DnsStub dns;
    private SmtpSink modern;
    private SmtpSink legacy;
    /** Offers neither 8BITMIME nor SMTPUTF8. */
    private SmtpSink ancient;
    private SmtpRemoteDelivery delivery;

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
        modern = SmtpSink.on("127.0.0.91").hostname("mx.modern.test").start();
        legacy = SmtpSink.on("127.0.0.92").port(modern.port()).hostname("mx.legacy.test").without("SMTPUTF8").start();
        ancient = SmtpSink.on("127.0.0.93").port(modern.port()).hostname("mx.ancient.test").without("8BITMIME")
                .without("SMTPUTF8").start();
        dns.a("mx.modern.test", "127.0.0.91").a("mx.legacy.test", "127.0.0.92").a("mx.ancient.test", "127.0.0.93");
        dns.mx("ancient.test", 10, "mx.ancient.test");
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
        ancient.close();
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
        assertThat(o.reply()).isEqualTo("550 5.6.9 UTF-8 header requires SMTPUTF8, which mx.legacy.test[127.0.0.92]:"
                + legacy.port() + " does not support");
        assertThat(o.detail()).contains("did not offer SMTPUTF8; the message was received with SMTPUTF8 and a header");
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

    /** Postfix counts every header block: a part's raw UTF-8 file name needs SMTPUTF8 as a UTF-8 Subject does. */
    @Test
    void aUtf8FileNameInAPartHeaderIsRefusedByAHopWithoutSmtpUtf8() {
        Outcome o = send(UTF8_FILE_NAME, true, "bob@legacy.test");
        assertThat(o).isInstanceOf(Outcome.Bounced.class);
        assertThat(o.reply()).startsWith("550 5.6.9 UTF-8 header requires SMTPUTF8, which mx.legacy.test");
        assertThat(legacy.messages()).isEmpty();
    }

    /** Nor does the 7-bit conversion, which leaves header blocks as they are, make it fit a hop with neither extension. */
    @Test
    void aUtf8FileNameInAPartHeaderIsRefusedByAHopWithNeither8BitMimeNorSmtpUtf8() {
        Outcome o = send(UTF8_FILE_NAME, true, "bob@ancient.test");
        assertThat(o).isInstanceOf(Outcome.Bounced.class);
        assertThat(o.reply()).startsWith("550 5.6.9 UTF-8 header requires SMTPUTF8, which mx.ancient.test");
        assertThat(ancient.messages()).isEmpty();
    }

    @Test
    void aUtf8FileNameInAPartHeaderGoesToAHopThatOffersSmtpUtf8() throws Exception {
        delivered(send(UTF8_FILE_NAME, true, "bob@modern.test"));
        SinkMessage got = modern.awaitMessages(1, WAIT).getFirst();
        assertThat(got.mailLine()).endsWith(" BODY=8BITMIME SMTPUTF8");
        assertThat(got.text()).isEqualTo(UTF8_FILE_NAME);
    }

    @Test
    void aUtf8HeaderOfAnEnclosedMessageIsRefusedByAHopWithoutSmtpUtf8() {
        Outcome o = send(UTF8_ENCLOSED_HEADER, true, "bob@legacy.test");
        assertThat(o).isInstanceOf(Outcome.Bounced.class);
        assertThat(o.reply()).startsWith("550 5.6.9 UTF-8 header requires SMTPUTF8");
        assertThat(legacy.messages()).isEmpty();
    }

    /** message/global is content: 8BITMIME carries it to one hop, and the 7-bit conversion encodes it for another. */
    @Test
    void aMessageGlobalPartGoesToHopsWithoutSmtpUtf8AsContent() throws Exception {
        delivered(send(GLOBAL_PART, true, "bob@legacy.test"));
        SinkMessage got = legacy.awaitMessages(1, WAIT).getFirst();
        assertThat(got.mailLine()).endsWith(" BODY=8BITMIME");
        assertThat(got.text()).isEqualTo(GLOBAL_PART);
        delivered(send(GLOBAL_PART, true, "bob@ancient.test"));
        SinkMessage seven = ancient.awaitMessages(1, WAIT).getFirst();
        assertThat(seven.mailLine()).doesNotContain("SMTPUTF8").doesNotContain("BODY=");
        assertThat(seven.text()).contains("Content-Transfer-Encoding: quoted-printable\r\n\r\nFrom: j=C3=B6rg@example.de");
    }

    /** Not asked for: UTF-8 in a part's header goes as it is, without the parameter, as a UTF-8 Subject does. */
    @Test
    void withoutTheClientsRequestAUtf8PartHeaderGoesToAHopWithoutSmtpUtf8() throws Exception {
        delivered(send(UTF8_FILE_NAME, false, "bob@legacy.test"));
        SinkMessage got = legacy.awaitMessages(1, WAIT).getFirst();
        assertThat(got.mailLine()).doesNotContain("SMTPUTF8");
        assertThat(got.text()).isEqualTo(UTF8_FILE_NAME);
    }

    /** A non-ASCII address needs SMTPUTF8 whether the client asked or not: the header wording is for the header only. */
    @Test
    void aNonAsciiAddressStillNamesTheAddress() {
        Outcome o = send(UTF8_SUBJECT, true, "j\u00fcrgen@legacy.test");
        assertThat(o.reply()).startsWith("550 5.6.7 Non-ASCII address requires SMTPUTF8, which mx.legacy.test");
    }
}

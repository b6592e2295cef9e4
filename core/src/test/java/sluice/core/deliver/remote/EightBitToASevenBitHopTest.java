package sluice.core.deliver.remote;

import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.delivered;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/**
 * RFC 6152: a next hop that does not offer 8BITMIME gets 8-bit content converted to 7-bit, as Postfix's SMTP
 * client converts it; one that offers it gets the octets unchanged with BODY=8BITMIME. RFC 6531/6532: a
 * non-ASCII address needs SMTPUTF8; a non-ASCII header whose client did not ask for SMTPUTF8 goes as it is, unflagged,
 * as Postfix sends it ({@link SmtpUtf8RequestedByTheClientTest} for a client that asked).
 */
class EightBitToASevenBitHopTest {

    private DnsStub dns;
    private SmtpSink legacy;
    private SmtpSink modern;
    private SmtpRemoteDelivery delivery;

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
        legacy = SmtpSink.on("127.0.0.46").without("8BITMIME").without("SMTPUTF8").start();
        modern = SmtpSink.on("127.0.0.47").start();
        delivery = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(legacy.port()));
    }

    @AfterEach
    void stop() {
        delivery.close();
        legacy.close();
        modern.close();
        dns.close();
    }

    private Outcome send(SmtpSink to, String content) {
        return send(to, content.getBytes(StandardCharsets.UTF_8));
    }

    private Outcome send(SmtpSink to, byte[] content) {
        QueuedMessage m = message("alice@sender.test", content);
        var route = new Route.ToSmartHost(List.of(HostPort.parse(to.hostPort())), TlsPolicy.OPPORTUNISTIC, null, true, true);
        return delivery.deliver(route, m, rcpts(m, "bob@receiver.test")).getFirst();
    }

    private SinkMessage received(SmtpSink sink, String content) throws InterruptedException {
        delivered(send(sink, content));
        return sink.awaitMessages(1, WAIT).getFirst();
    }

    /** Every octet 7-bit, every line at most {@code maxLine} octets. */
    private static void assertSevenBit(byte[] content, int maxLine) {
        String s = new String(content, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < content.length; i++) assertThat(content[i]).as("octet %d", i).isNotNegative();
        for (String line : s.split("\r\n", -1)) assertThat(line.length()).as(line).isLessThanOrEqualTo(maxLine);
    }

    private static String qpDecoded(String encoded) throws IOException {
        try (var in = new QuotedPrintableInputStream(new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String body(String message) {
        return message.substring(message.indexOf("\r\n\r\n") + 4);
    }

    private static final String LONG_LINE = "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, a line far longer than seventy-six characters "
            + "with = signs and trailing blank ";

    @Test
    void aPlainEightBitMessageBecomesQuotedPrintable() throws Exception {
        String original = "From: alice@sender.test\r\nSubject: menu\r\n\r\n" + LONG_LINE + "\r\n.dot and tab\t\r\nlast\r\n";
        SinkMessage got = received(legacy, original);

        assertThat(got.mailLine()).isEqualTo("MAIL FROM:<alice@sender.test> SIZE=" + got.content().length);
        assertSevenBit(got.content(), 76);
        assertThat(got.text()).startsWith("From: alice@sender.test\r\nSubject: menu\r\n"
                + "MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        assertThat(qpDecoded(body(got.text()))).isEqualTo(LONG_LINE + "\r\n.dot and tab\t\r\nlast\r\n");
        assertThat(body(got.text())).contains("blank=20\r\n", "tab=09\r\n", "=3D", "Caf=C3=A9");
    }

    @Test
    void aHopWithEightBitMimeGetsTheOctetsUnchanged() throws Exception {
        String original = "Subject: menu\r\n\r\n" + LONG_LINE + "\r\n";
        SinkMessage got = received(modern, original);
        assertThat(got.mailLine()).endsWith(" BODY=8BITMIME").doesNotContain("SMTPUTF8");
        assertThat(got.text()).isEqualTo(original);
    }

    private static final String MULTIPART = """
            From: alice@sender.test\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b1"\r
            \r
            preamble\r
            --b1\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            gr\u00fc\u00dfe\r
            --b1\r
            Content-Type: text/html; charset=utf-8\r
            \r
            <p>d\u00e9j\u00e0 vu</p>\r
            --b1\r
            Content-Type: message/rfc822\r
            Content-Transfer-Encoding: 8bit\r
            \r
            Subject: inner\r
            Content-Type: multipart/alternative; boundary=b2\r
            \r
            --b2\r
            Content-Type: text/plain\r
            Content-Transfer-Encoding: 8BIT\r
            \r
            \u00e9t\u00e9\r
            --b2--\r
            --b1\r
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: base64\r
            \r
            AAECAwQ=\r
            --b1\r
            Content-Type: text/plain\r
            \r
            plain ascii stays as it is\r
            --b1--\r
            epilogue\r
            """;

    @Test
    void aMultipartIsConvertedPartByPartAndKeepsItsStructure() throws Exception {
        SinkMessage got = received(legacy, MULTIPART);
        assertSevenBit(got.content(), 76);
        assertThat(got.text()).isEqualTo("""
                From: alice@sender.test\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary="b1"\r
                \r
                preamble\r
                --b1\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                gr=C3=BC=C3=9Fe\r
                --b1\r
                Content-Type: text/html; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                <p>d=C3=A9j=C3=A0 vu</p>\r
                --b1\r
                Content-Type: message/rfc822\r
                Content-Transfer-Encoding: 7bit\r
                \r
                Subject: inner\r
                Content-Type: multipart/alternative; boundary=b2\r
                \r
                --b2\r
                Content-Type: text/plain\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                =C3=A9t=C3=A9\r
                --b2--\r
                --b1\r
                Content-Type: application/octet-stream\r
                Content-Transfer-Encoding: base64\r
                \r
                AAECAwQ=\r
                --b1\r
                Content-Type: text/plain\r
                \r
                plain ascii stays as it is\r
                --b1--\r
                epilogue\r
                """);
        assertThat(got.mailLine()).doesNotContain("BODY=");
    }

    @Test
    void aSoftLineBreakNeverMakesALineLookLikeABoundary() throws Exception {
        String filler = "\u00e9".repeat(25); // 75 characters once encoded: the next character starts a new line
        String original = "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\r\n" + filler + "--b1--\r\n--b1--\r\n";
        SinkMessage got = received(legacy, original);
        assertSevenBit(got.content(), 76);
        assertThat(got.text().lines().filter(l -> l.startsWith("--b1"))).containsExactly("--b1", "--b1--");
        String text = got.text();
        String part = text.substring(text.indexOf("quoted-printable\r\n\r\n") + 20, text.lastIndexOf("\r\n--b1--"));
        assertThat(qpDecoded(part)).isEqualTo(filler + "--b1--");
    }

    @Test
    void aDkimSignedMessageIsConvertedAllTheSame() throws Exception {
        String original = "DKIM-Signature: v=1; a=rsa-sha256; d=sender.test; s=s1; bh=x; b=y\r\nSubject: s\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\u00e9\r\n";
        SinkMessage got = received(legacy, original);
        assertThat(got.text()).isEqualTo("DKIM-Signature: v=1; a=rsa-sha256; d=sender.test; s=s1; bh=x; b=y\r\nSubject: s\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\r\n");
    }

    /** Encoded as one text, its delimiters would become "=2D-x" and its parts one blob: it is not sent to a 7-bit hop. */
    @Test
    void aMultipartWithoutBoundaryAndWithEightBitCannotBeConverted() throws Exception {
        String original = "Content-Type: multipart/mixed\r\nContent-Transfer-Encoding: 8bit\r\n\r\n--x\r\n\r\n\u00e9\r\n--x--\r\n";
        Outcome o = send(legacy, original);
        assertThat(o).isInstanceOf(Outcome.Bounced.class);
        assertThat(o.reply()).startsWith("554 5.6.3 ").contains("boundary cannot be read");
        assertThat(modernOrLegacyMessages()).isZero();
        assertThat(received(modern, original).text()).isEqualTo(original);
    }

    @Test
    void anUnterminatedMultipartKeepsEveryPartAndGetsNoCloseDelimiter() throws Exception {
        String original = "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n\r\none \u00e9\r\n--b1\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\ntwo \u00e8\r\nstill two";
        SinkMessage got = received(legacy, original);
        assertSevenBit(got.content(), 76);
        assertThat(got.text()).isEqualTo("Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\none =C3=A9\r\n--b1\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "two =C3=A8\r\nstill two\r\n");
    }

    @Test
    void eightBitInsideAnEncodedPartCannotBeConvertedAndBounces() throws Exception {
        String original = "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "AA\u00e9==\r\n--b1--\r\n";
        Outcome o = send(legacy, original);
        assertThat(o).isInstanceOf(Outcome.Bounced.class);
        assertThat(o.reply()).startsWith("554 5.6.3 [" + legacy.address() + "]:" + legacy.port()).contains("does not support 8BITMIME",
                "cannot be converted to 7-bit", "already encoded");
        assertThat(modernOrLegacyMessages()).isZero();
    }

    @Test
    void eightBitInAPartHeaderGoesAsItIsWhileTheBodyIsConverted() throws Exception {
        String original = "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n"
                + "Content-Disposition: attachment; filename=\"r\u00e9sum\u00e9.txt\"\r\n\r\nx\u00e9\r\n--b1--\r\n";
        assertThat(received(legacy, original).text()).isEqualTo("Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n"
                + "Content-Disposition: attachment; filename=\"r\u00e9sum\u00e9.txt\"\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nx=C3=A9\r\n--b1--\r\n");
        // to a hop with 8BITMIME it goes as it is
        assertThat(received(modern, original).text()).isEqualTo(original);
    }

    @Test
    void aNonAsciiHeaderFieldGoesAsItIsWithoutSmtpUtf8ToEveryHop() throws Exception {
        String original = "Subject: caf\u00e9\r\n\r\nascii body\r\n";
        // as Postfix sends mail whose client did not ask for SMTPUTF8: flagged, it could not pass a later hop without it
        SinkMessage got = received(modern, original);
        assertThat(got.mailLine()).doesNotContain("SMTPUTF8");
        assertThat(got.text()).isEqualTo(original);

        SinkMessage old = received(legacy, original);
        assertThat(old.mailLine()).doesNotContain("SMTPUTF8");
        assertThat(old.text()).isEqualTo(original);
    }

    @Test
    void aUtf8HeaderGoesAsItIsToASmtpUtf8HopWithoutEightBitMimeWhileTheBodyIsConverted() throws Exception {
        try (SmtpSink odd = SmtpSink.on("127.0.0.48").without("8BITMIME").start()) {
            String original = "Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0\r\n";
            SinkMessage got = received(odd, original);
            assertThat(got.mailLine()).doesNotContain("SMTPUTF8").doesNotContain("BODY=");
            assertThat(got.text()).isEqualTo("Subject: caf\u00e9\r\nMIME-Version: 1.0\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n\r\nd=C3=A9j=C3=A0\r\n");
        }
    }

    private int modernOrLegacyMessages() {
        return legacy.messages().size() + modern.messages().size();
    }
}

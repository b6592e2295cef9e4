package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;
import sluice.core.mail.Headers;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports about internationalized mail (RFC 6533): an address that is not ASCII is written with the
 * utf-8 address type in a message/global-delivery-status part, and a returned header with UTF-8 in it
 * (RFC 6532) goes as message/global or message/global-headers. Each report is read back by a strict MIME
 * parser, so the structure is checked, not only the text.
 */
class DsnForInternationalMailTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final DsnBuilder DSN = new DsnBuilder("mx.sluice.test", ZoneOffset.UTC);
    private static final String STATUS_HEAD = "Reporting-MTA: dns; mx.sluice.test\r\nArrival-Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\n";
    private static final String FAILED_TAIL = "Action: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.example.org\r\n"
            + "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\nLast-Attempt-Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n";

    private static QueuedMessage message(String sender, String ret, String content) {
        return new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW, sender, "org-a", ret, null,
                "192.0.2.7", "client.example.net", content.getBytes(StandardCharsets.UTF_8),
                QueuedMessage.Origin.INTERNET, false, null, false);
    }

    private static DsnBuilder.Entry failed(String recipient, String orcpt) {
        return new DsnBuilder.Entry(recipient, orcpt, DsnBuilder.Action.FAILED, "550 5.1.1 User unknown", "mx.example.org", null, NOW);
    }

    private static byte[] report(QueuedMessage m, DsnBuilder.Entry... entries) {
        return DSN.build(m, List.of(entries), DsnBuilder.Action.FAILED, NOW, NOW);
    }

    @Test
    void aUtf8RecipientIsReportedWithTheUtf8AddressTypeAndTheWholeMessageAsMessageGlobal() {
        String original = "From: ann@contoso.example\r\nTo: J\u00f6rg <j\u00f6rg@b\u00fccher.example>\r\nSubject: hi\r\n\r\nHallo\r\n";
        byte[] dsn = report(message("ann@contoso.example", "FULL", original),
                failed("j\u00f6rg@b\u00fccher.example", "utf-8;j\\x{F6}rg@b\\x{FC}cher.example"));

        ReportStructure r = ReportStructure.of(dsn);
        assertThat(r.reportType()).isEqualTo("delivery-status");
        assertThat(r.types()).containsExactly("text/plain", "message/global-delivery-status", "message/global");
        assertThat(r.encodings().subList(1, 3)).containsExactly("8bit", "8bit");
        assertThat(r.status()).isEqualTo(STATUS_HEAD
                + "Original-Recipient: utf-8;j\u00f6rg@b\u00fccher.example\r\n"
                + "Final-Recipient: utf-8;j\u00f6rg@b\u00fccher.example\r\n" + FAILED_TAIL);
        assertThat(r.returned()).isEqualTo(original);
        assertThat(Headers.first(dsn, "To")).as("the report goes to an ASCII sender: its own header stays ASCII")
                .isEqualTo("<ann@contoso.example>");
    }

    @Test
    void aUtf8SenderGetsAGlobalReportAddressedToItAndItsHeaderBackAsMessageGlobalHeaders() {
        String header = "From: J\u00f6rg <j\u00f6rg@b\u00fccher.example>\r\nTo: carol@example.org\r\nSubject: Gr\u00fc\u00dfe\r\n\r\n";
        byte[] dsn = report(message("j\u00f6rg@b\u00fccher.example", null, header + "body\r\n"),
                failed("carol@example.org", "rfc822;carol@example.org"));

        ReportStructure r = ReportStructure.of(dsn);
        assertThat(r.types()).containsExactly("text/plain", "message/global-delivery-status", "message/global-headers");
        assertThat(r.status()).isEqualTo(STATUS_HEAD
                + "Original-Recipient: rfc822;carol@example.org\r\n"
                + "Final-Recipient: rfc822; carol@example.org\r\n" + FAILED_TAIL);
        assertThat(r.returned()).isEqualTo(header);
        assertThat(Headers.first(dsn, "To")).isEqualTo("<j\u00f6rg@b\u00fccher.example>");
    }

    @Test
    void aUtf8HeaderAloneMakesTheReturnedHeaderMessageGlobalHeaders() {
        String header = "From: ann@contoso.example\r\nTo: carol@example.org\r\nSubject: Gr\u00fc\u00dfe aus K\u00f6ln\r\n\r\n";
        for (String ret : new String[] {null, "HDRS"}) {
            ReportStructure r = ReportStructure.of(report(message("ann@contoso.example", ret, header + "body\r\n"),
                    failed("carol@example.org", null)));
            assertThat(r.types()).as("RET=" + ret).containsExactly("text/plain", "message/global-delivery-status", "message/global-headers");
            assertThat(r.encodings().get(2)).isEqualTo("8bit");
            assertThat(r.returned()).isEqualTo(header);
            assertThat(r.status()).isEqualTo(STATUS_HEAD + "Final-Recipient: rfc822; carol@example.org\r\n" + FAILED_TAIL);
        }
    }

    @Test
    void aUtf8OriginalRecipientOfAnAsciiRecipientStaysInItsSevenBitFormInAPlainReport() {
        String original = "From: ann@contoso.example\r\nSubject: hi\r\n\r\nbody\r\n";
        ReportStructure given = ReportStructure.of(report(message("ann@contoso.example", null, original),
                failed("joerg@buecher.example", "utf-8;j\\x{F6}rg@b\\x{FC}cher.example")));
        assertThat(given.types()).containsExactly("text/plain", "message/delivery-status", "text/rfc822-headers");
        assertThat(given.status()).contains("Original-Recipient: utf-8;j\\x{F6}rg@b\\x{FC}cher.example\r\n"
                + "Final-Recipient: rfc822; joerg@buecher.example\r\n");

        ReportStructure wronglyTyped = ReportStructure.of(report(message("ann@contoso.example", null, original),
                failed("joerg@buecher.example", "rfc822;j\u00f6rg+a=b@b\u00fccher.example")));
        assertThat(wronglyTyped.types().get(1)).isEqualTo("message/delivery-status");
        assertThat(wronglyTyped.status()).contains("Original-Recipient: utf-8;j\\x{F6}rg\\x{2B}a\\x{3D}b@b\\x{FC}cher.example\r\n");
        assertThat(wronglyTyped.status()).as("a 7-bit part").matches("\\p{ASCII}*");
    }

    @Test
    void anAsciiReportIsUnchanged() {
        String original = "From: ann@contoso.example\r\nSubject: hi\r\n\r\nbody\r\n";
        QueuedMessage m = new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW, "ann@contoso.example", "org-a",
                "HDRS", "env-1", "192.0.2.7", "client.example.net", original.getBytes(StandardCharsets.US_ASCII),
                QueuedMessage.Origin.INTERNET, false, null, false);
        byte[] dsn = DSN.build(m, List.of(failed("carol@example.org", "rfc822;carol@example.org")), DsnBuilder.Action.FAILED, NOW, NOW);

        String text = new String(dsn, StandardCharsets.US_ASCII)
                .replaceAll("=_sluice_[0-9a-f-]{36}", "=_B").replaceAll("<[0-9a-f-]{36}@", "<ID@");
        assertThat(text).isEqualTo("From: Mail Delivery System <MAILER-DAEMON@mx.sluice.test>\r\n"
                + "To: <ann@contoso.example>\r\n"
                + "Subject: Undeliverable: hi\r\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <ID@mx.sluice.test>\r\n"
                + "Auto-Submitted: auto-replied\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"=_B\"\r\n"
                + "\r\nThis is a MIME-formatted delivery status notification.\r\n"
                + "\r\n--=_B\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "This is the mail system at mx.sluice.test.\r\n\r\n"
                + "Your message could not be delivered to the following recipients. No further attempts will be made.\r\n\r\n"
                + "  <carol@example.org>\r\n"
                + "    The server mx.example.org said: 550 5.1.1 User unknown\r\n\r\n"
                + "Queue id " + m.id() + ", received Sat, 28 Nov 2026 10:00:00 +0000.\r\n"
                + "\r\n--=_B\r\n"
                + "Content-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; mx.sluice.test\r\n"
                + "Original-Envelope-Id: env-1\r\n"
                + "Arrival-Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\n"
                + "Original-Recipient: rfc822;carol@example.org\r\n"
                + "Final-Recipient: rfc822; carol@example.org\r\n" + FAILED_TAIL
                + "\r\n--=_B\r\n"
                + "Content-Type: text/rfc822-headers\r\n\r\n"
                + "From: ann@contoso.example\r\nSubject: hi\r\n\r\n"
                + "\r\n--=_B--\r\n");
        assertThat(ReportStructure.of(dsn).types()).containsExactly("text/plain", "message/delivery-status", "text/rfc822-headers");
    }
}

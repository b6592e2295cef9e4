package sluice.core.deliver.dsn;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
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

/** A report about a message with a long non-ASCII subject has an RFC 2047 Subject a reader can decode. */
class DsnSubjectEncodingTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void aLongRawUtf8SubjectIsFoldedIntoEncodedWordsOfAtMost75Characters() {
        String subject = "Rechnung Nr. 4711 für die Überweisung an Müller & Söhne GmbH, fällig zum Quartalsende — bitte prüfen";
        byte[] original = ("Subject: " + subject + "\r\nMessage-ID: <m1@example.net>\r\n\r\nHallo\r\n").getBytes(StandardCharsets.UTF_8);
        QueuedMessage m = new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW, "bob@example.net", null, null,
                null, "192.0.2.7", "client.example.net", original, QueuedMessage.Origin.INTERNET, false, null, false);
        var entry = new DsnBuilder.Entry("carol@remote.example", null, DsnBuilder.Action.FAILED, "550 5.1.1 User unknown",
                "mx.remote.example", null, NOW);

        byte[] dsn = new DsnBuilder("mx.sluice.test", ZoneOffset.UTC).build(m, List.of(entry), DsnBuilder.Action.FAILED, NOW, NOW);

        String head = new String(dsn, 0, Headers.headerLength(dsn), StandardCharsets.US_ASCII);
        String field = head.substring(head.indexOf("Subject: "), head.indexOf("\r\nDate: "));
        assertThat(field.split("\r\n")).hasSizeGreaterThan(1).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(76));
        assertThat(field.split("\r\n ")).allSatisfy(word -> assertThat(word.replace("Subject: ", "")).hasSizeLessThanOrEqualTo(75));
        assertThat(DecoderUtil.decodeEncodedWords(Headers.first(dsn, "Subject"), DecodeMonitor.SILENT))
                .isEqualTo("Undeliverable: " + subject);
    }
}

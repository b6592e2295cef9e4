package sluice.core.receive;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.junit.jupiter.api.Test;
import sluice.core.mail.Headers;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A subject prefix that is not ASCII goes into the header as RFC 2047 encoded words, never as raw octets. */
class SubjectPrefixEncodingTest {

    private static String subjectOf(byte[] message) {
        String raw = Headers.first(message, "Subject");
        assertThat(raw.chars()).as("header octets stay ASCII").allMatch(c -> c < 128);
        return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
    }

    private static byte[] prefixed(String subjectField, String prefix) {
        byte[] m = (subjectField + "From: a@example.net\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        return Protection.prefixSubject(m, prefix);
    }

    @Test
    void nonAsciiPrefixBeforePlainText() {
        assertThat(subjectOf(prefixed("Subject: quarterly report\r\n", "[Extérieur] "))).isEqualTo("[Extérieur] quarterly report");
    }

    @Test
    void nonAsciiPrefixBeforeAnEncodedSubjectKeepsItsSpace() {
        assertThat(subjectOf(prefixed("Subject: =?UTF-8?B?w5xiZXJ3ZWlzdW5n?=\r\n", "[Extérieur] ")))
                .isEqualTo("[Extérieur] Überweisung");
    }

    @Test
    void nonAsciiPrefixWithoutASubjectBecomesTheSubject() {
        assertThat(subjectOf(prefixed("", "[Extérieur] "))).isEqualTo("[Extérieur]");
    }

    @Test
    void asciiPrefixIsWrittenAsItIs() {
        assertThat(Headers.first(prefixed("Subject: hi\r\n", "[SPAM] "), "Subject")).isEqualTo("[SPAM] hi");
    }
}

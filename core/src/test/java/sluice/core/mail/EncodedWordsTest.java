package sluice.core.mail;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 2047 section 2 and 5: words of at most 75 characters, lines of at most 76, whole characters per word. */
class EncodedWordsTest {

    private static final Pattern WORD = Pattern.compile("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=");

    @Test
    void plainAsciiStaysAsItIs() {
        assertThat(EncodedWords.encode("Undeliverable: quarterly report", 9)).isEqualTo("Undeliverable: quarterly report");
    }

    @Test
    void aLongNonAsciiValueBecomesSeveralWordsOnFoldedLinesThatDecodeToTheValue() throws Exception {
        String value = "Undeliverable: Überweisung der Quartalszahlen für Müller & Söhne — 請求書 🙂 ".repeat(3).strip();
        String encoded = EncodedWords.encode(value, "Subject: ".length());

        List<String> lines = List.of(encoded.split("\r\n", -1));
        assertThat(lines).hasSizeGreaterThan(3);
        assertThat("Subject: " + lines.getFirst()).hasSizeLessThanOrEqualTo(76);
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> {
            assertThat(l).startsWith(" =?UTF-8?B?").hasSizeLessThanOrEqualTo(76);
        });
        Matcher m = WORD.matcher(encoded);
        int words = 0;
        while (m.find()) {
            words++;
            assertThat(m.group()).hasSizeLessThanOrEqualTo(75);
            // whole characters: every word decodes on its own as strict UTF-8
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Base64.getDecoder().decode(m.group(1))));
        }
        assertThat(words).isEqualTo(lines.size());
        assertThat(DecoderUtil.decodeEncodedWords(encoded.replace("\r\n", ""), DecodeMonitor.SILENT)).isEqualTo(value);
    }
}

package sluice.imap;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A message is read once per command and parsed only as far as the command needs. */
class StoredMessageTest {

    private static final byte[] MULTIPART = """
            Subject: Notes
            Content-Type: multipart/mixed; boundary=b1

            --b1

            one
            --b1

            two
            --b1--
            """.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);

    @Test
    void theHeaderAloneLeavesThePartsUnsplitAndTheTreeSplitsThem() {
        StoredMessage m = new StoredMessage(() -> MULTIPART);
        assertThat(m.header().header("Subject")).isEqualTo("Notes");
        assertThat(m.header().children()).isEmpty();
        assertThat(m.tree().children()).hasSize(2);
        assertThat(m.header()).isSameAs(m.tree());
    }

    @Test
    void theOctetsAreReadOnceWhateverIsAskedOfThem() {
        AtomicInteger reads = new AtomicInteger();
        StoredMessage m = new StoredMessage(() -> {
            reads.incrementAndGet();
            return MULTIPART;
        });
        assertThat(reads).hasValue(0);
        m.raw();
        m.header();
        m.tree();
        m.lowerText();
        assertThat(reads).hasValue(1);
    }

    @Test
    void theSearchTextIsBuiltOnceAndKnowsWhereTheBodyStarts() {
        StoredMessage m = new StoredMessage(() -> "Subject: İstanbul NOTES\r\n\r\nBody TEXT\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(m.lowerText()).isSameAs(m.lowerText());
        assertThat(m.lowerText().toString().substring(m.lowerBodyStart())).isEqualTo("body text\r\n");
        assertThat(m.lowerText().toString()).startsWith("subject: istanbul notes");
        assertThat(m.textContains("istanbul", true)).isTrue();
        assertThat(m.textContains("istanbul", false)).isFalse();
        assertThat(m.textContains("body text\r\n", false)).isTrue();
        assertThat(m.textContains("body text\r\nx", true)).isFalse();
    }

    @Test
    void textThatIsNotUtf8IsSearchedAsTheStringDecoderWouldHaveIt() {
        byte[] octets = "Subject: x\r\n\r\nCaf\u00e9 \u00ff\u00fe \uD83D\uDE00 End\r\n".getBytes(StandardCharsets.ISO_8859_1);
        octets[octets.length - 9] = (byte) 0xF0; // a lone lead octet of a 4-octet sequence
        StoredMessage m = new StoredMessage(() -> octets);
        assertThat(m.lowerText().toString()).isEqualTo(StoredMessage.lower(new String(octets, StandardCharsets.UTF_8)));
    }
}

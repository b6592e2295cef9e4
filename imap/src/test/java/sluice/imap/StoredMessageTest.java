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
        m.textContains("x", true);
        assertThat(reads).hasValue(1);
    }

    @Test
    void theSearchTextKnowsWhereTheBodyStarts() {
        StoredMessage m = new StoredMessage(() -> "Subject: İstanbul NOTES\r\n\r\nBody TEXT\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(m.textContains("subject: istanbul notes", true)).isTrue();
        assertThat(m.textContains("istanbul", true)).isTrue();
        assertThat(m.textContains("istanbul", false)).isFalse();
        assertThat(m.textContains("body text\r\n", false)).isTrue();
        assertThat(m.textContains("notes\r\n\r\nbody", true)).isTrue();
        assertThat(m.textContains("body text\r\nx", true)).isFalse();
    }

    @Test
    void textThatIsNotUtf8IsSearchedAsTheStringDecoderWouldHaveIt() {
        byte[] octets = "Subject: x\r\n\r\nCaf\u00e9 \u00ff\u00fe \uD83D\uDE00 End\r\n".getBytes(StandardCharsets.ISO_8859_1);
        octets[octets.length - 9] = (byte) 0xF0; // a lone lead octet of a 4-octet sequence
        StoredMessage m = new StoredMessage(() -> octets);
        String text = StoredMessage.lower(new String(octets, StandardCharsets.UTF_8));
        assertThat(m.textContains(text, true)).isTrue();
        assertThat(m.textContains(text.substring(text.indexOf("caf")), false)).isTrue();
        assertThat(m.textContains("caf\u00e9", false)).isFalse(); // é was one ISO-8859-1 octet, not UTF-8
    }

    /**
     * The text is decoded a chunk at a time: a match that straddles two chunks, a multi-octet UTF-8 sequence
     * cut by the chunk boundary, and malformed octets at a boundary give the answers of one whole decode.
     */
    @Test
    void matchesAcrossChunkBoundariesAreFound() {
        for (int shift = 0; shift < 8; shift++) {
            String body = "a".repeat(StoredMessage.TEXT_CHUNK - 4 + shift) + "Zürich 😀 Straße\r\n" + "b".repeat(StoredMessage.TEXT_CHUNK) + "End";
            byte[] good = ("Subject: x\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
            StoredMessage m = new StoredMessage(() -> good);
            assertThat(m.textContains("azürich 😀 straße\r\nb", false)).as("shift %d", shift).isTrue();
            assertThat(m.textContains("bbend", false)).isTrue();
            assertThat(m.textContains("zürich 😀 strasse", false)).isFalse();
            byte[] bad = good.clone();
            bad["Subject: x\r\n\r\n".length() + StoredMessage.TEXT_CHUNK - 1 - 4 + shift] = (byte) 0xE2; // a lead octet where the 'a's end
            StoredMessage b = new StoredMessage(() -> bad);
            String whole = StoredMessage.lower(new String(bad, StandardCharsets.UTF_8));
            String around = whole.substring(whole.indexOf('\uFFFD') - 3, whole.indexOf('\uFFFD') + 10);
            assertThat(b.textContains(around, false)).as("shift %d", shift).isTrue();
        }
    }
}

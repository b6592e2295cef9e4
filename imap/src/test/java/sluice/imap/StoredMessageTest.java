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
        assertThat(m.lowerText().substring(m.lowerBodyStart())).isEqualTo("body text\r\n");
        assertThat(m.lowerText()).startsWith("subject: istanbul notes");
    }
}

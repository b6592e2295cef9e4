package sluice.store.mailbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.mailbox.MailboxStore.QuotaExceeded;
import sluice.core.mailbox.MailboxStore.StoredMessage;
import sluice.store.EmbeddedStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlMailboxStoreTest {
    static final Instant NOW = Instant.parse("2025-10-01T12:00:00Z");
    @TempDir
    Path dir;
    EmbeddedStore store;
    MailboxStore mailboxes;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.fixed(NOW));
        mailboxes = store.mailboxes();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void appendedMessagesGetGrowingUidsPerMailboxAndAreListedPerFolder() {
        mailboxes.append("m1", Folder.INBOX, bytes("first"), 0);
        mailboxes.append("m1", Folder.JUNK, bytes("spam!!"), 0);
        mailboxes.append("m2", Folder.INBOX, bytes("other"), 0);
        mailboxes.append("m1", Folder.INBOX, bytes("third"), 0);

        assertThat(mailboxes.list("m1", Folder.INBOX)).containsExactly(
                new StoredMessage(1, Folder.INBOX, 5, NOW), new StoredMessage(3, Folder.INBOX, 5, NOW));
        assertThat(mailboxes.list("m1", Folder.JUNK)).containsExactly(new StoredMessage(2, Folder.JUNK, 6, NOW));
        assertThat(mailboxes.list("m2", Folder.INBOX)).extracting(StoredMessage::uid).containsExactly(1L);
        assertThat(mailboxes.content("m1", 3)).isEqualTo(bytes("third"));
        assertThat(mailboxes.usage("m1")).isEqualTo(16);
        assertThat(mailboxes.usage("nobody")).isZero();
        assertThatThrownBy(() -> mailboxes.content("m1", 99)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void anAppendPastTheQuotaStoresNothing() {
        mailboxes.append("m1", Folder.INBOX, new byte[60], 100);
        mailboxes.append("m1", Folder.INBOX, new byte[40], 100); // exactly full is allowed
        assertThatThrownBy(() -> mailboxes.append("m1", Folder.INBOX, new byte[1], 100))
                .isInstanceOf(QuotaExceeded.class).hasMessageContaining("100 of 100 bytes used");
        assertThat(mailboxes.usage("m1")).isEqualTo(100);
        assertThat(mailboxes.list("m1", Folder.INBOX)).hasSize(2);
        mailboxes.append("m1", Folder.INBOX, new byte[1], 0); // 0 = unlimited
        assertThat(mailboxes.list("m1", Folder.INBOX)).extracting(StoredMessage::uid).containsExactly(1L, 2L, 3L);
    }

    @Test
    void concurrentAppendsNeverPassTheQuota() {
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 30; i++)
                pool.submit(() -> {
                    try {
                        mailboxes.append("m1", Folder.INBOX, new byte[100], 1_000);
                    } catch (QuotaExceeded e) {
                        // expected for the last 20
                    }
                });
        }
        assertThat(mailboxes.usage("m1")).isEqualTo(1_000);
        assertThat(mailboxes.list("m1", Folder.INBOX)).hasSize(10);
    }

    @Test
    void contentSurvivesAReopen() {
        mailboxes.append("m1", Folder.INBOX, bytes("kept"), 0);
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.fixed(NOW));
        assertThat(store.mailboxes().content("m1", 1)).isEqualTo(bytes("kept"));
        store.mailboxes().append("m1", Folder.INBOX, bytes("next"), 0);
        assertThat(store.mailboxes().list("m1", Folder.INBOX)).extracting(StoredMessage::uid).containsExactly(1L, 2L);
    }
}

package sluice.store.mailbox;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxFolders.Entry;
import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxFolders.Key;
import sluice.core.mailbox.MailboxFolders.Snapshot;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;
import sluice.store.db.Dialect;
import sluice.store.db.Sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V24 gives each folder its own UID counter. A mailbox of a V23 store, where every folder took its
 * UIDs from one counter (next UID 8 here, UIDs 6 and 7 expunged), keeps its messages, UIDs, flags and
 * UIDVALIDITY; every folder's UIDNEXT is the 8 clients last saw, so no UID comes back, and from
 * then on a folder's UIDNEXT moves only with its own messages.
 */
class UidsPerFolderMigrationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final long VALIDITY = 1_700_000_000L;
    private static final Key INBOX = Key.of(Folder.INBOX), JUNK = Key.of(Folder.JUNK), WORK = Key.user(VALIDITY + 5);

    @TempDir
    Path dir;

    @Test
    void messagesInTwoFoldersKeepTheirUidsAndEachFolderCountsOnFromTheOldNextUid() throws Exception {
        Flyway.configure().dataSource(Sqlite.url(dir.resolve("sluice.db")), null, null).locations("classpath:sluice/store/migration")
                .placeholders(Dialect.SQLITE.placeholders()).target("23").load().migrate();
        try (Connection c = Fixtures.rawConnection(dir)) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_counters (mailbox_id, next_uid, used_bytes, "
                    + "uid_validity, last_folder_validity) VALUES ('m1', 8, 10, ?, ?)")) {
                s.setLong(1, VALIDITY);
                s.setLong(2, VALIDITY + 5);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO mailbox_folders (mailbox_id, name, folder_key, selectable) VALUES ('m1', 'Work', ?, 1)")) {
                s.setString(1, WORK.value());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_messages "
                    + "(mailbox_id, uid, folder, size, received_at, content, flags) VALUES ('m1', ?, ?, 2, ?, ?, ?)")) {
                Object[][] rows = {{1, INBOX, 0}, {2, JUNK, 0}, {3, INBOX, Flag.SEEN.bit()}, {4, WORK, 0}, {5, JUNK, Flag.FLAGGED.bit()}};
                for (Object[] row : rows) {
                    s.setLong(1, (Integer) row[0]);
                    s.setString(2, ((Key) row[1]).value());
                    s.setLong(3, T0.toEpochMilli());
                    s.setBytes(4, ("m" + row[0]).getBytes(StandardCharsets.US_ASCII));
                    s.setInt(5, (Integer) row[2]);
                    s.executeUpdate();
                }
            }
        }

        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.fixed(T0))) {
            var folders = store.mailboxFolders();
            Snapshot inbox = folders.folder("m1", INBOX);
            assertThat(inbox.uidValidity()).isEqualTo(VALIDITY);
            assertThat(inbox.uidNext()).isEqualTo(8);
            assertThat(inbox.messages()).containsExactly(new Entry(1, 2, T0, Set.of()), new Entry(3, 2, T0, Set.of(Flag.SEEN)));
            assertThat(folders.folder("m1", JUNK).messages()).containsExactly(
                    new Entry(2, 2, T0, Set.of()), new Entry(5, 2, T0, Set.of(Flag.FLAGGED)));
            assertThat(folders.folder("m1", WORK).uidValidity()).isEqualTo(VALIDITY + 5);
            assertThat(folders.folder("m1", Key.of(Folder.TRASH)).uidNext()).as("a folder without messages").isEqualTo(8);
            assertThat(store.mailboxes().usage("m1")).isEqualTo(10);

            store.mailboxes().append("m1", Folder.JUNK, bytes("new junk"), 0);
            assertThat(folders.folder("m1", JUNK).uidNext()).isEqualTo(9);
            assertThat(folders.folder("m1", INBOX).uidNext()).as("Junk's delivery leaves INBOX as it was").isEqualTo(8);
            assertThat(folders.folder("m1", WORK).uidNext()).isEqualTo(8);

            assertThat(folders.copy("m1", JUNK, List.of(5L, 8L), INBOX, 0)).containsExactly(
                    java.util.Map.entry(5L, 8L), java.util.Map.entry(8L, 9L));
            assertThat(store.mailboxes().content("m1", INBOX, 8)).isEqualTo(bytes("m5"));
            assertThat(store.mailboxes().content("m1", JUNK, 8)).isEqualTo(bytes("new junk"));
            assertThat(store.mailboxes().content("m1", WORK, 4)).isEqualTo(bytes("m4"));

            store.mailboxes().append("m2", Folder.INBOX, bytes("a new mailbox"), 0);
            assertThat(folders.folder("m2", INBOX).messages()).extracting(Entry::uid).containsExactly(1L);
        }
    }

    @Test
    void aCounterBelowAStoredUidIsRaisedAboveIt() throws Exception {
        Flyway.configure().dataSource(Sqlite.url(dir.resolve("sluice.db")), null, null).locations("classpath:sluice/store/migration")
                .placeholders(Dialect.SQLITE.placeholders()).target("23").load().migrate();
        try (Connection c = Fixtures.rawConnection(dir)) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_counters (mailbox_id, next_uid, used_bytes, "
                    + "uid_validity, last_folder_validity) VALUES ('m1', 3, 2, ?, ?)")) {
                s.setLong(1, VALIDITY);
                s.setLong(2, VALIDITY);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_messages "
                    + "(mailbox_id, uid, folder, size, received_at, content, flags) VALUES ('m1', 5, ?, 2, ?, ?, 0)")) {
                s.setString(1, JUNK.value());
                s.setLong(2, T0.toEpochMilli());
                s.setBytes(3, bytes("m5"));
                s.executeUpdate();
            }
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.fixed(T0))) {
            assertThat(store.mailboxFolders().folder("m1", INBOX).uidNext()).isEqualTo(6);
            store.mailboxes().append("m1", Folder.JUNK, bytes("new"), 0);
            assertThat(store.mailboxFolders().folder("m1", JUNK).messages()).extracting(Entry::uid).containsExactly(5L, 6L);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

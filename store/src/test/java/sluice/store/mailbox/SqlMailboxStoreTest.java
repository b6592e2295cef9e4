package sluice.store.mailbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxChanges;
import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxFolders.FlagChange;
import sluice.core.mailbox.MailboxFolders.Key;
import sluice.core.mailbox.MailboxStore;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.mailbox.MailboxStore.QuotaExceeded;
import sluice.core.mailbox.MailboxStore.StoredMessage;
import sluice.store.EmbeddedStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlMailboxStoreTest {
    static final Instant NOW = Instant.parse("2025-10-01T12:00:00Z");
    @TempDir
    Path dir;
    EmbeddedStore store;
    MailboxStore mailboxes;
    MailboxFolders folders;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.fixed(NOW));
        mailboxes = store.mailboxes();
        folders = store.mailboxFolders();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void appendedMessagesGetGrowingUidsPerFolderAndAreListedPerFolder() {
        mailboxes.append("m1", Folder.INBOX, bytes("first"), 0);
        mailboxes.append("m1", Folder.JUNK, bytes("spam!!"), 0);
        mailboxes.append("m2", Folder.INBOX, bytes("other"), 0);
        mailboxes.append("m1", Folder.INBOX, bytes("third"), 0);

        assertThat(mailboxes.list("m1", Folder.INBOX)).containsExactly(
                new StoredMessage(1, Folder.INBOX, 5, NOW), new StoredMessage(2, Folder.INBOX, 5, NOW));
        assertThat(mailboxes.list("m1", Folder.JUNK)).containsExactly(new StoredMessage(1, Folder.JUNK, 6, NOW));
        assertThat(mailboxes.list("m2", Folder.INBOX)).extracting(StoredMessage::uid).containsExactly(1L);
        assertThat(mailboxes.content("m1", Key.of(Folder.INBOX), 2)).isEqualTo(bytes("third"));
        assertThat(mailboxes.content("m1", Key.of(Folder.JUNK), 1)).as("the same UID in another folder")
                .isEqualTo(bytes("spam!!"));
        assertThat(mailboxes.usage("m1")).isEqualTo(16);
        assertThat(mailboxes.usage("nobody")).isZero();
        assertThatThrownBy(() -> mailboxes.content("m1", Key.of(Folder.JUNK), 2)).isInstanceOf(NoSuchElementException.class);
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
        assertThat(store.mailboxes().content("m1", Key.of(Folder.INBOX), 1)).isEqualTo(bytes("kept"));
        store.mailboxes().append("m1", Folder.INBOX, bytes("next"), 0);
        assertThat(store.mailboxes().list("m1", Folder.INBOX)).extracting(StoredMessage::uid).containsExactly(1L, 2L);
    }

    // IMAP's view of the same tables: flags, UIDVALIDITY, expunge, copy and move (MailboxFolders)

    @Test
    void anEmptyMailboxGetsAUidValidityThatDeliveriesDoNotChange() {
        var empty = folders.folder("m1", Key.of(Folder.INBOX));
        assertThat(empty.messages()).isEmpty();
        assertThat(empty.uidNext()).isEqualTo(1);
        assertThat(empty.uidValidity()).isEqualTo(NOW.getEpochSecond());

        mailboxes.append("m1", Folder.INBOX, bytes("first"), 0);
        var after = folders.folder("m1", Key.of(Folder.INBOX));
        assertThat(after.uidValidity()).isEqualTo(empty.uidValidity());
        assertThat(after.uidNext()).isEqualTo(2);
        assertThat(after.messages()).containsExactly(new MailboxFolders.Entry(1, 5, NOW, Set.of()));
        assertThat(folders.folder("m1", Key.of(Folder.JUNK)).uidValidity()).isEqualTo(empty.uidValidity());
    }

    @Test
    void aFoldersUidNextChangesOnlyWhenAMessageIsAddedToThatFolder() {
        mailboxes.append("m1", Folder.INBOX, bytes("one"), 0);
        long inboxNext = folders.folder("m1", Key.of(Folder.INBOX)).uidNext();
        mailboxes.append("m1", Folder.JUNK, bytes("junk"), 0);
        folders.append("m1", Key.of(Folder.SENT), bytes("sent"), Set.of(), NOW, 0);
        folders.copy("m1", Key.of(Folder.JUNK), List.of(1L), Key.of(Folder.TRASH), 0);
        folders.move("m1", Key.of(Folder.JUNK), List.of(1L), Key.of(Folder.ARCHIVE));
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).uidNext()).isEqualTo(inboxNext).isEqualTo(2);
        assertThat(folders.folder("m1", Key.of(Folder.JUNK)).uidNext()).isEqualTo(2);
        assertThat(folders.folder("m1", Key.of(Folder.ARCHIVE)).uidNext()).isEqualTo(2);
    }

    @Test
    void concurrentAppendsToOneFolderGetDistinctUids() throws Exception {
        List<java.util.concurrent.Future<Long>> uids = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                boolean delivery = i % 2 == 0;
                uids.add(pool.submit(() -> {
                    if (!delivery) return folders.append("m1", Key.of(Folder.INBOX), bytes("x"), Set.of(), NOW, 0);
                    mailboxes.append("m1", Folder.INBOX, bytes("x"), 0);
                    return -1L;
                }));
            }
        }
        Set<Long> appended = new java.util.HashSet<>();
        for (var f : uids) if (f.get() != -1) appended.add(f.get());
        assertThat(appended).hasSize(20);
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).messages()).extracting(MailboxFolders.Entry::uid)
                .doesNotHaveDuplicates().hasSize(40).containsAll(appended);
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).uidNext()).isEqualTo(41);
    }

    @Test
    void flagsAreAddedRemovedAndReplacedOnlyForMessagesOfThatFolder() {
        mailboxes.append("m1", Folder.INBOX, bytes("one"), 0);
        mailboxes.append("m1", Folder.JUNK, bytes("two"), 0);

        assertThat(folders.store("m1", Key.of(Folder.INBOX), List.of(1L, 2L), FlagChange.ADD, Set.of(Flag.SEEN, Flag.FLAGGED)))
                .isEqualTo(Map.of(1L, Set.of(Flag.SEEN, Flag.FLAGGED)));
        assertThat(folders.store("m1", Key.of(Folder.INBOX), List.of(1L), FlagChange.REMOVE, Set.of(Flag.FLAGGED)))
                .isEqualTo(Map.of(1L, Set.of(Flag.SEEN)));
        assertThat(folders.store("m1", Key.of(Folder.INBOX), List.of(1L), FlagChange.REPLACE, Set.of(Flag.ANSWERED, Flag.DRAFT)))
                .isEqualTo(Map.of(1L, Set.of(Flag.ANSWERED, Flag.DRAFT)));
        assertThat(folders.folder("m1", Key.of(Folder.JUNK)).messages().getFirst().flags()).isEmpty();
    }

    @Test
    void expungeRemovesOnlyDeletedMessagesAndReleasesTheirBytes() {
        mailboxes.append("m1", Folder.INBOX, bytes("aaaa"), 0);
        mailboxes.append("m1", Folder.INBOX, bytes("bbbbbbbb"), 0);
        mailboxes.append("m1", Folder.INBOX, bytes("cc"), 0);
        folders.store("m1", Key.of(Folder.INBOX), List.of(1L, 2L, 3L), FlagChange.ADD, Set.of(Flag.DELETED));
        mailboxes.append("m1", Folder.JUNK, bytes("j"), 0); // UID 1 in Junk, not flagged

        assertThat(folders.expunge("m1", Key.of(Folder.INBOX), List.of(2L, 3L))).containsExactly(2L, 3L);
        assertThat(mailboxes.usage("m1")).isEqualTo(5);
        assertThat(folders.expunge("m1", Key.of(Folder.INBOX), null)).containsExactly(1L);
        assertThat(mailboxes.usage("m1")).isEqualTo(1);
        assertThat(mailboxes.content("m1", Key.of(Folder.JUNK), 1)).as("UID 1 of another folder stays").isEqualTo(bytes("j"));
        assertThat(folders.expunge("m1", Key.of(Folder.INBOX), null)).isEmpty();
        // Expunged UIDs are never handed out again.
        mailboxes.append("m1", Folder.INBOX, bytes("d"), 0);
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).messages()).extracting(MailboxFolders.Entry::uid).containsExactly(4L);
    }

    @Test
    void moveGivesNewLargerUidsKeepsFlagsAndUsage() {
        mailboxes.append("m1", Folder.INBOX, bytes("one"), 0);
        mailboxes.append("m1", Folder.INBOX, bytes("two"), 0);
        folders.store("m1", Key.of(Folder.INBOX), List.of(2L), FlagChange.ADD, Set.of(Flag.SEEN));

        mailboxes.append("m1", Folder.JUNK, bytes("junk"), 0);

        assertThat(folders.move("m1", Key.of(Folder.INBOX), List.of(2L, 7L), Key.of(Folder.JUNK))).isEqualTo(Map.of(2L, 2L));
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).messages()).extracting(MailboxFolders.Entry::uid).containsExactly(1L);
        assertThat(folders.folder("m1", Key.of(Folder.JUNK)).messages()).containsExactly(
                new MailboxFolders.Entry(1, 4, NOW, Set.of()), new MailboxFolders.Entry(2, 3, NOW, Set.of(Flag.SEEN)));
        assertThat(folders.folder("m1", Key.of(Folder.JUNK)).uidNext()).isEqualTo(3);
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).uidNext()).as("moving out adds nothing to INBOX").isEqualTo(3);
        assertThat(mailboxes.content("m1", Key.of(Folder.JUNK), 2)).isEqualTo(bytes("two"));
        assertThat(mailboxes.usage("m1")).isEqualTo(10);
        mailboxes.append("m1", Folder.INBOX, bytes("three"), 0);
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).messages()).extracting(MailboxFolders.Entry::uid).containsExactly(1L, 3L);
    }

    @Test
    void copyCountsAgainstTheQuotaAndCopiesNothingWhenItWouldNotFit() {
        mailboxes.append("m1", Folder.INBOX, bytes("12345"), 12);
        mailboxes.append("m1", Folder.INBOX, bytes("12345"), 12);

        assertThatThrownBy(() -> folders.copy("m1", Key.of(Folder.INBOX), List.of(1L, 2L), Key.of(Folder.JUNK), 12))
                .isInstanceOf(QuotaExceeded.class);
        assertThat(folders.folder("m1", Key.of(Folder.JUNK)).messages()).isEmpty();
        assertThat(mailboxes.usage("m1")).isEqualTo(10);

        assertThat(folders.copy("m1", Key.of(Folder.INBOX), List.of(1L, 2L), Key.of(Folder.JUNK), 0)).isEqualTo(Map.of(1L, 1L, 2L, 2L));
        assertThat(mailboxes.usage("m1")).isEqualTo(20);
        assertThat(mailboxes.content("m1", Key.of(Folder.JUNK), 2)).isEqualTo(bytes("12345"));
        assertThat(folders.folder("m1", Key.of(Folder.JUNK)).uidNext()).isEqualTo(3);
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).uidNext()).isEqualTo(3);
    }

    // Folders clients create (MailboxFolders: create, delete, rename, subscriptions, append)

    @Test
    void userFoldersGetFreshUidValiditiesEvenWithAFixedClockAndAreKeptAcrossRename() {
        long counter = folders.uidValidity("m1", Key.of(Folder.INBOX));
        folders.create("m1", "A", List.of(), 10);
        Key first = folders.userFolders("m1").getFirst().key();
        folders.delete("m1", "A");
        folders.create("m1", "A", List.of(), 10);
        Key second = folders.userFolders("m1").getFirst().key();
        assertThat(first.userValidity()).isGreaterThan(counter);
        assertThat(second.userValidity()).isGreaterThan(first.userValidity());

        folders.create("m1", "A/B", List.of("A"), 10);
        folders.subscribe("m1", "A/B", true, 10);
        folders.subscribe("m1", "C/D/B", true, 10); // a stale subscription to the new name
        folders.rename("m1", "A", "C/D", List.of("C"), 10);
        assertThat(folders.userFolders("m1")).extracting(MailboxFolders.UserFolder::name).containsExactly("C", "C/D", "C/D/B");
        assertThat(folders.userFolders("m1").get(1).key()).isEqualTo(second);
        assertThat(folders.subscriptions("m1")).containsExactly("C/D/B");
    }

    @Test
    void deleteReleasesTheBytesAndNothingLandsInAFolderThatIsGone() {
        folders.create("m1", "Work", List.of(), 10);
        Key work = folders.userFolders("m1").getFirst().key();
        long uid = folders.append("m1", work, bytes("hello"), Set.of(Flag.SEEN), NOW.minusSeconds(60), 0);
        mailboxes.append("m1", Folder.INBOX, bytes("inbox"), 0);
        assertThat(folders.folder("m1", work).messages()).containsExactly(
                new MailboxFolders.Entry(uid, 5, NOW.minusSeconds(60), Set.of(Flag.SEEN)));
        assertThat(mailboxes.usage("m1")).isEqualTo(10);

        folders.delete("m1", "Work");
        assertThat(mailboxes.usage("m1")).isEqualTo(5);
        assertThat(folders.folder("m1", work).messages()).as("a session that had it selected sees it emptied").isEmpty();
        for (Runnable adding : List.<Runnable>of(
                () -> folders.append("m1", work, bytes("late"), Set.of(), NOW, 0),
                () -> folders.copy("m1", Key.of(Folder.INBOX), List.of(1L), work, 0),
                () -> folders.move("m1", Key.of(Folder.INBOX), List.of(1L), work))) {
            assertThatThrownBy(adding::run).isInstanceOf(MailboxFolders.Refused.class);
        }
        assertThat(mailboxes.usage("m1")).as("no orphaned bytes").isEqualTo(5);
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).messages()).hasSize(1);
    }

    @Test
    void moveAndCopyWithinOneFolderHandleEachMessageOnce() {
        mailboxes.append("m1", Folder.INBOX, bytes("one"), 0);
        mailboxes.append("m1", Folder.INBOX, bytes("two"), 0);
        long next = folders.folder("m1", Key.of(Folder.INBOX)).uidNext();

        assertThat(folders.move("m1", Key.of(Folder.INBOX), List.of(1L, next), Key.of(Folder.INBOX))).isEqualTo(Map.of(1L, next));
        assertThat(folders.copy("m1", Key.of(Folder.INBOX), List.of(2L, next + 1), Key.of(Folder.INBOX), 0)).isEqualTo(Map.of(2L, next + 1));
        assertThat(folders.folder("m1", Key.of(Folder.INBOX)).messages()).extracting(MailboxFolders.Entry::uid)
                .containsExactly(2L, next, next + 1);
        assertThat(mailboxes.usage("m1")).as("one copy charged").isEqualTo(9);
    }

    @Test
    void aDeletedFoldersUidNextDoesNotGoDown() {
        folders.create("m1", "Work", List.of(), 10);
        Key work = folders.userFolders("m1").getFirst().key();
        folders.append("m1", work, bytes("a"), Set.of(), NOW, 0);
        folders.append("m1", work, bytes("b"), Set.of(), NOW, 0);
        long before = folders.folder("m1", work).uidNext();

        folders.delete("m1", "Work");
        assertThat(folders.folder("m1", work).uidNext()).isEqualTo(before);
    }

    @Test
    void aFlagStoreThatChangesNothingRaisesNoVersion() {
        // a FETCH of BODY[] writes \Seen for every message it sent, most of them already \Seen: that must not
        // make every other session of the mailbox read its folder again
        MailboxChanges changes = folders.changes();
        Key inbox = Key.of(Folder.INBOX);
        mailboxes.append("m1", Folder.INBOX, bytes("delivered"), 0);
        try (MailboxChanges.Watch m1 = changes.watch("m1")) {
            long before = m1.version();
            folders.store("m1", inbox, List.of(1L), FlagChange.ADD, Set.of(Flag.SEEN));
            assertThat(m1.changedSince(before)).as("\\Seen set").isTrue();
            long seen = m1.version();
            assertThat(folders.store("m1", inbox, List.of(1L), FlagChange.ADD, Set.of(Flag.SEEN)).get(1L)).contains(Flag.SEEN);
            folders.store("m1", inbox, List.of(1L), FlagChange.REMOVE, Set.of(Flag.DELETED));
            assertThat(m1.changedSince(seen)).as("nothing changed").isFalse();
        }
    }

    @Test
    void everyWriteToAMailboxRaisesItsVersionOnceCommittedAndOnlyItsOwn() {
        MailboxChanges changes = folders.changes();
        Key inbox = Key.of(Folder.INBOX);
        try (MailboxChanges.Watch m1 = changes.watch("m1"); MailboxChanges.Watch m2 = changes.watch("m2")) {
            long other = m2.version();
            List<Runnable> writes = List.of(
                    () -> mailboxes.append("m1", Folder.INBOX, bytes("delivered"), 0),
                    () -> folders.append("m1", inbox, bytes("appended"), Set.of(), NOW, 0),
                    () -> folders.store("m1", inbox, List.of(1L), FlagChange.ADD, Set.of(Flag.DELETED)),
                    () -> folders.copy("m1", inbox, List.of(2L), Key.of(Folder.JUNK), 0),
                    () -> folders.move("m1", Key.of(Folder.JUNK), List.of(1L), inbox),
                    () -> folders.expunge("m1", inbox, null),
                    () -> folders.create("m1", "A", List.of(), 10),
                    () -> folders.rename("m1", "A", "B", List.of(), 10),
                    () -> folders.delete("m1", "B"));
            for (Runnable write : writes) {
                long before = m1.version();
                write.run();
                assertThat(m1.changedSince(before)).isTrue();
            }
            assertThat(m2.changedSince(other)).isFalse();
        }
        assertThat(changes.watchedMailboxes()).isZero();
    }
}

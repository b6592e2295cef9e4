package sluice.core.mailbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The change signal keeps a version only for watched mailboxes, and a watch never misses a bump. */
class MailboxChangesTest {

    @Test
    void aWatchSeesEveryBumpOfItsMailboxAndNoneOfAnother() {
        MailboxChanges changes = new MailboxChanges();
        try (MailboxChanges.Watch w = changes.watch("m1")) {
            long v = w.version();
            assertThat(w.changedSince(v)).isFalse();
            changes.changed("m2");
            assertThat(w.changedSince(v)).isFalse();
            changes.changed("m1");
            assertThat(w.changedSince(v)).isTrue();
            assertThat(w.changedSince(w.version())).isFalse();
        }
    }

    @Test
    void onlyWatchedMailboxesHoldAVersionAndTheLastWatchDropsIt() {
        MailboxChanges changes = new MailboxChanges();
        changes.changed("unwatched");
        assertThat(changes.watchedMailboxes()).isZero();
        MailboxChanges.Watch a = changes.watch("m1");
        MailboxChanges.Watch b = changes.watch("m1");
        assertThat(changes.watchedMailboxes()).isOne();
        a.close();
        a.close(); // twice is once
        assertThat(changes.watchedMailboxes()).isOne();
        long v = b.version();
        changes.changed("m1");
        assertThat(b.changedSince(v)).isTrue();
        b.close();
        assertThat(changes.watchedMailboxes()).isZero();
        assertThat(b.changedSince(b.version())).isTrue(); // a closed watch knows nothing any more
    }

    @Test
    void aStoreWithoutTheSignalReadsAsAlwaysChanged() {
        try (MailboxChanges.Watch w = MailboxChanges.UNTRACKED.watch("m1")) {
            assertThat(w.changedSince(w.version())).isTrue();
        }
        assertThat(MailboxChanges.UNTRACKED.watchedMailboxes()).isZero();
    }
}

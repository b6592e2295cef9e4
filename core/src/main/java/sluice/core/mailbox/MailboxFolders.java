package sluice.core.mailbox;

import sluice.core.mailbox.MailboxStore.Folder;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a mail client (IMAP) may do to the folders of a hosted mailbox: see the messages with their
 * UIDs and flags, change flags, expunge, copy and move. UIDs come from the mailbox's one counter, so
 * they only grow in every folder (a moved or copied message gets a fresh, larger UID in its new
 * folder, as RFC 9051 section 2.3.1.1 requires), and a delivery committed while a client looks
 * cannot reuse or reorder them. Every change is one transaction and returns only once synced.
 */
public interface MailboxFolders {

    /** The system flags of RFC 9051 section 2.3.2 that we keep (\Recent is per session, not stored). */
    enum Flag {
        SEEN("\\Seen"), ANSWERED("\\Answered"), FLAGGED("\\Flagged"), DELETED("\\Deleted"), DRAFT("\\Draft");

        private final String wire;

        Flag(String wire) {
            this.wire = wire;
        }

        /** The flag as written on the wire, e.g. {@code \Seen}. */
        public String wire() {
            return wire;
        }

        public int bit() {
            return 1 << ordinal();
        }

        public static Set<Flag> ofBits(int bits) {
            Set<Flag> set = EnumSet.noneOf(Flag.class);
            for (Flag f : values()) if ((bits & f.bit()) != 0) set.add(f);
            return set;
        }

        public static int bits(Collection<Flag> flags) {
            int bits = 0;
            for (Flag f : flags) bits |= f.bit();
            return bits;
        }
    }

    /** How {@link #store} combines the given flags with the present ones (FLAGS, +FLAGS, -FLAGS). */
    enum FlagChange { REPLACE, ADD, REMOVE }

    record Entry(long uid, long size, Instant receivedAt, Set<Flag> flags) {
        public Entry {
            flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        }
    }

    /**
     * One folder as it is now. {@code uidValidity} is fixed when the mailbox's UID counter is first
     * created and changes only if that counter were ever created again (UIDs could then repeat).
     *
     * @param messages in ascending UID order; every UID is below {@code uidNext}
     */
    record Snapshot(long uidValidity, long uidNext, List<Entry> messages) {
        public Snapshot {
            messages = List.copyOf(messages);
        }
    }

    /** The folder now; creates the mailbox's UID counter on first use, so its UIDVALIDITY stays put. */
    Snapshot folder(String mailboxId, Folder folder);

    /** Changes flags of the messages among {@code uids} still in {@code folder}; returns their new flags by UID. */
    Map<Long, Set<Flag>> store(String mailboxId, Folder folder, Collection<Long> uids, FlagChange change, Set<Flag> flags);

    /**
     * Removes the messages of {@code folder} flagged \Deleted (only those among {@code uids} when it is not
     * null) and releases their bytes from the mailbox's usage; returns the UIDs removed, ascending.
     */
    List<Long> expunge(String mailboxId, Folder folder, Collection<Long> uids);

    /**
     * Copies messages into {@code target} with new UIDs, flags kept; returns old UID to new UID in
     * ascending order of the old. Throws {@link MailboxStore.QuotaExceeded} (and copies nothing) when
     * the copies would take the mailbox past {@code quotaBytes} (0 = unlimited).
     */
    Map<Long, Long> copy(String mailboxId, Folder source, Collection<Long> uids, Folder target, long quotaBytes);

    /** Moves messages into {@code target} with new UIDs, flags kept; returns old UID to new UID, ascending. */
    Map<Long, Long> move(String mailboxId, Folder source, Collection<Long> uids, Folder target);
}

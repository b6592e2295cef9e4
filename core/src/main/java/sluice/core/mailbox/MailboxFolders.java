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
 * UIDs and flags, change flags, expunge, copy, move and append; create, delete and rename folders of
 * its own and keep its subscriptions. Each folder has its own UID counter (RFC 9051 section
 * 2.3.1.1: UIDs are per mailbox, which is a folder here), so UIDs only grow in every folder (a moved
 * or copied message gets a fresh, larger UID in its new folder), a folder's UIDNEXT changes only
 * when a message is added to that folder, and a delivery committed while a client looks cannot
 * reuse or reorder them. Every change is one transaction and returns only once synced.
 *
 * <p>Folders are addressed by {@link Key}, not by name: a RENAME changes names only, so the
 * messages, their UIDs and the folder's UIDVALIDITY stay. A folder the client created gets a
 * UIDVALIDITY never given before in its mailbox, and its key carries it; see {@link Key}.
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
     * One folder as it is now. For INBOX and the special folders {@code uidValidity} is fixed when
     * the mailbox's UID counter is first created and changes only if that counter were ever created
     * again (UIDs could then repeat); a user folder has its own, from its {@link Key}. {@code uidNext}
     * is the folder's own counter: it changes only when a message is added to this folder.
     *
     * @param messages in ascending UID order; every UID is below {@code uidNext}
     */
    record Snapshot(long uidValidity, long uidNext, List<Entry> messages) {
        public Snapshot {
            messages = List.copyOf(messages);
        }
    }

    /**
     * Where a folder's messages are kept; it stays the same when the folder is renamed. A special
     * folder's key is its {@link Folder} name; a user folder's is {@code U} and its UIDVALIDITY.
     *
     * <p>Why a user folder has its own UIDVALIDITY (RFC 3501 section 2.3.1.1): UIDs come from the
     * folder's own counter, kept under its key, so no UID is ever given twice in a folder; but RENAME
     * keeps UIDs, so a folder renamed into the name of a deleted one would show a client
     * that cached the deleted folder messages below the UIDNEXT it last saw, and it would never fetch
     * them. A fresh UIDVALIDITY at every CREATE (a new value each time, larger than any before in the
     * mailbox, even for a name deleted and created again) makes such a client drop its cache instead.
     */
    record Key(String value) {
        public Key {
            if (value == null || value.isEmpty()) throw new IllegalArgumentException("empty folder key");
        }

        public static Key of(Folder special) {
            return new Key(special.name());
        }

        public static Key user(long uidValidity) {
            return new Key("U" + uidValidity);
        }

        /** The UIDVALIDITY of a user folder's key; 0 for a special folder (they share the counter's). */
        public long userValidity() {
            return value.matches("U[0-9]{1,18}") ? Long.parseLong(value.substring(1)) : 0;
        }
    }

    /**
     * A folder the client created, named as the client sent it (modified UTF-7, "/" between levels).
     * A folder deleted while it had children stays as a name only, not selectable (RFC 3501 section
     * 6.3.4: \Noselect).
     */
    record UserFolder(String name, Key key, boolean selectable) {
    }

    /** Why a folder change was refused; nothing was changed. */
    final class Refused extends RuntimeException {
        public enum Reason { ALREADY_EXISTS, NONEXISTENT, HAS_CHILDREN, LIMIT }

        private final Reason reason;

        public Refused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /**
     * The signal this store raises after each committed write to a mailbox, so a session can tell
     * whether a folder needs reading again without reading it; {@link MailboxChanges#UNTRACKED} (every
     * mailbox always reads as changed) for a store that does not raise one.
     */
    default MailboxChanges changes() {
        return MailboxChanges.UNTRACKED;
    }

    /** The folder now; creates the mailbox's UID counter on first use, so its UIDVALIDITY stays put. */
    Snapshot folder(String mailboxId, Key folder);

    /** The folder's UIDVALIDITY, without reading its messages. */
    long uidValidity(String mailboxId, Key folder);

    /** The folders the client created, by name. */
    List<UserFolder> userFolders(String mailboxId);

    /**
     * Creates {@code name} and those of {@code parents} that do not exist yet (each a new, empty
     * folder with a fresh UIDVALIDITY); a name left by a DELETE as \Noselect becomes a new folder.
     *
     * @throws Refused ALREADY_EXISTS when {@code name} is a folder already; LIMIT when the mailbox
     *                 would have more than {@code maxFolders} user folders
     */
    void create(String mailboxId, String name, List<String> parents, int maxFolders);

    /**
     * Deletes a user folder with its messages and releases their bytes from the mailbox's usage.
     * A folder with children keeps its name, \Noselect (RFC 3501 section 6.3.4).
     *
     * @throws Refused NONEXISTENT; HAS_CHILDREN when it is \Noselect already and has children
     */
    void delete(String mailboxId, String name);

    /**
     * Renames a user folder and every folder below it; messages, UIDs and UIDVALIDITY stay, and so
     * do the subscriptions of the renamed names, under their new names. Missing {@code parents} of
     * the new name are created as in {@link #create}.
     *
     * @throws Refused NONEXISTENT, ALREADY_EXISTS (the new name or a name below it exists), LIMIT
     */
    void rename(String mailboxId, String from, String to, List<String> parents, int maxFolders);

    /** The names the client subscribed to (RFC 3501 section 6.3.6), which need not exist. */
    List<String> subscriptions(String mailboxId);

    /** Subscribes to or unsubscribes from a name; throws {@link Refused} LIMIT past {@code maxSubscriptions}. */
    void subscribe(String mailboxId, String name, boolean subscribed, int maxSubscriptions);

    /**
     * Appends a message the client sends (IMAP APPEND) with its flags and internal date; returns its
     * UID. Throws {@link MailboxStore.QuotaExceeded} as delivery does, and {@link Refused}
     * NONEXISTENT when the folder is gone; either way nothing is stored.
     */
    long append(String mailboxId, Key folder, byte[] content, Set<Flag> flags, Instant internalDate, long quotaBytes);

    /** Changes flags of the messages among {@code uids} still in {@code folder}; returns their new flags by UID. */
    Map<Long, Set<Flag>> store(String mailboxId, Key folder, Collection<Long> uids, FlagChange change, Set<Flag> flags);

    /**
     * Removes the messages of {@code folder} flagged \Deleted (only those among {@code uids} when it is not
     * null) and releases their bytes from the mailbox's usage; returns the UIDs removed, ascending.
     */
    List<Long> expunge(String mailboxId, Key folder, Collection<Long> uids);

    /**
     * Copies messages into {@code target} with new UIDs, flags kept; returns old UID to new UID in
     * ascending order of the old. Throws {@link MailboxStore.QuotaExceeded} (and copies nothing) when
     * the copies would take the mailbox past {@code quotaBytes} (0 = unlimited), {@link Refused}
     * NONEXISTENT when {@code target} is gone.
     */
    Map<Long, Long> copy(String mailboxId, Key source, Collection<Long> uids, Key target, long quotaBytes);

    /**
     * Moves messages into {@code target} with new UIDs, flags kept; returns old UID to new UID,
     * ascending. Throws {@link Refused} NONEXISTENT when {@code target} is gone.
     */
    Map<Long, Long> move(String mailboxId, Key source, Collection<Long> uids, Key target);
}

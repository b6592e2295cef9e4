package sluice.store.mailbox;

import sluice.core.mailbox.MailboxChanges;
import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxStore.QuotaExceeded;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;
import sluice.store.db.SqlWork;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The folders of hosted mailboxes on SQL, for IMAP. New UIDs (copy, move, append) come from the
 * target folder's counter row, as in {@link SqlMailboxStore#append}, inside the same single writer,
 * so a delivery and a move into one folder can never hand out one UID twice. Expunge, delete, copy
 * and append keep the mailbox counter's used bytes exact. Folders clients create are kept by
 * {@link SqlUserFolders}.
 */
public final class SqlMailboxFolders implements MailboxFolders {

    private final GroupCommitWriter writer;
    private final ReadPool readers;
    private final InstantSource clock;
    private final MailboxChanges changes;

    /** {@code changes} is shared with the {@link SqlMailboxStore} on the same writer, which delivers into the same folders. */
    public SqlMailboxFolders(GroupCommitWriter writer, ReadPool readers, InstantSource clock, MailboxChanges changes) {
        this.writer = writer;
        this.readers = readers;
        this.clock = clock;
        this.changes = changes;
    }

    @Override
    public MailboxChanges changes() {
        return changes;
    }

    /** Runs a write that changes {@code mailboxId}'s folders, and then, committed, raises its version. */
    private <T> T change(String mailboxId, SqlWork<T> work) {
        return SqlMailboxStore.writeThenSignal(writer, changes, mailboxId, work);
    }

    @Override
    public Snapshot folder(String mailboxId, Key folder) {
        // Messages first, then the counters: a delivery committed in between only makes UIDNEXT larger.
        record Read(List<Entry> entries, Long next, long[] counter) { }
        Read read = readers.read(c -> {
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT uid, size, received_at, flags FROM mailbox_messages "
                    + "WHERE mailbox_id = ? AND folder = ? ORDER BY uid")) {
                s.setString(1, mailboxId);
                s.setString(2, folder.value());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) entries.add(new Entry(rs.getLong(1), rs.getLong(2),
                            Instant.ofEpochMilli(rs.getLong(3)), Flag.ofBits(rs.getInt(4))));
                }
            }
            return new Read(entries, SqlMailboxStore.readNextUid(c, mailboxId, folder.value()),
                    SqlMailboxStore.readCounter(c, mailboxId));
        });
        long[] counter = read.counter() != null ? read.counter()
                : writer.write(w -> SqlMailboxStore.counter(w, mailboxId, clock));
        // A folder deleted meanwhile reads as empty under its own UIDVALIDITY: its messages are expunged.
        return new Snapshot(validity(folder, counter), read.next() != null ? read.next() : counter[0], read.entries());
    }

    private static long validity(Key folder, long[] counter) {
        return folder.userValidity() != 0 ? folder.userValidity() : counter[2];
    }

    @Override
    public long uidValidity(String mailboxId, Key folder) {
        if (folder.userValidity() != 0) return folder.userValidity();
        long[] counter = readers.read(c -> SqlMailboxStore.readCounter(c, mailboxId));
        return validity(folder, counter != null ? counter : writer.write(w -> SqlMailboxStore.counter(w, mailboxId, clock)));
    }

    @Override
    public List<UserFolder> userFolders(String mailboxId) {
        return readers.read(c -> SqlUserFolders.list(c, mailboxId));
    }

    @Override
    public void create(String mailboxId, String name, List<String> parents, int maxFolders) {
        change(mailboxId, c -> {
            SqlUserFolders.create(c, mailboxId, clock, name, parents, maxFolders);
            return null;
        });
    }

    @Override
    public void delete(String mailboxId, String name) {
        change(mailboxId, c -> {
            SqlUserFolders.delete(c, mailboxId, clock, name);
            return null;
        });
    }

    @Override
    public void rename(String mailboxId, String from, String to, List<String> parents, int maxFolders) {
        change(mailboxId, c -> {
            SqlUserFolders.rename(c, mailboxId, clock, from, to, parents, maxFolders);
            return null;
        });
    }

    @Override
    public List<String> subscriptions(String mailboxId) {
        return readers.read(c -> SqlUserFolders.subscriptions(c, mailboxId));
    }

    @Override
    public void subscribe(String mailboxId, String name, boolean subscribed, int maxSubscriptions) {
        writer.write(c -> {
            SqlUserFolders.subscribe(c, mailboxId, name, subscribed, maxSubscriptions);
            return null;
        });
    }

    @Override
    public long append(String mailboxId, Key folder, byte[] content, Set<Flag> flags, Instant internalDate, long quotaBytes) {
        byte[] copy = content.clone();
        return change(mailboxId, c -> {
            SqlUserFolders.requireSelectable(c, mailboxId, folder);
            long uid = SqlMailboxStore.insert(c, mailboxId, folder.value(), copy, internalDate.toEpochMilli(), Flag.bits(flags),
                    quotaBytes, clock);
            return uid;
        });
    }

    @Override
    public Map<Long, Set<Flag>> store(String mailboxId, Key folder, Collection<Long> uids, FlagChange change, Set<Flag> flags) {
        int given = Flag.bits(flags);
        boolean[] changed = {false};
        boolean done = false;
        try {
            Map<Long, Set<Flag>> stored = writer.write(c -> store(c, mailboxId, folder, uids, change, given, changed));
            done = true;
            return stored;
        } finally {
            // a STORE or FETCH that changed no flag (\Seen already set) wakes no other session; a failed one does,
            // as every failed write does (see SqlMailboxStore.writeThenSignal)
            if (changed[0] || !done) changes.changed(mailboxId);
        }
    }

    private static Map<Long, Set<Flag>> store(Connection c, String mailboxId, Key folder, Collection<Long> uids,
                                              FlagChange change, int given, boolean[] changed) throws SQLException {
        Map<Long, Set<Flag>> result = new LinkedHashMap<>();
        for (long uid : new TreeSet<>(uids)) {
            Long stored = column(c, "flags", mailboxId, folder, uid);
            if (stored == null) continue;
            int old = stored.intValue();
            int now = switch (change) {
                case REPLACE -> given;
                case ADD -> old | given;
                case REMOVE -> old & ~given;
            };
            if (now != old) {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE mailbox_messages SET flags = ? WHERE mailbox_id = ? AND folder = ? AND uid = ?")) {
                    s.setInt(1, now);
                    s.setString(2, mailboxId);
                    s.setString(3, folder.value());
                    s.setLong(4, uid);
                    s.executeUpdate();
                }
                changed[0] = true;
            }
            result.put(uid, Flag.ofBits(now));
        }
        return result;
    }

    /** A number column of the message with {@code uid} in {@code folder}, or null when there is none there. */
    private static Long column(Connection c, String column, String mailboxId, Key folder, long uid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + column + " FROM mailbox_messages WHERE mailbox_id = ? AND uid = ? AND folder = ?")) {
            s.setString(1, mailboxId);
            s.setLong(2, uid);
            s.setString(3, folder.value());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    @Override
    public List<Long> expunge(String mailboxId, Key folder, Collection<Long> uids) {
        Set<Long> only = uids == null ? null : Set.copyOf(uids);
        return change(mailboxId, c -> {
            List<Long> removed = new ArrayList<>();
            long freed = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT uid, size FROM mailbox_messages "
                    + "WHERE mailbox_id = ? AND folder = ? AND (flags & ?) <> 0 ORDER BY uid")) {
                s.setString(1, mailboxId);
                s.setString(2, folder.value());
                s.setInt(3, Flag.DELETED.bit());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (only != null && !only.contains(rs.getLong(1))) continue;
                        removed.add(rs.getLong(1));
                        freed += rs.getLong(2);
                    }
                }
            }
            if (removed.isEmpty()) return removed;
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM mailbox_messages WHERE mailbox_id = ? AND folder = ? AND uid = ?")) {
                for (long uid : removed) {
                    s.setString(1, mailboxId);
                    s.setString(2, folder.value());
                    s.setLong(3, uid);
                    s.executeUpdate();
                }
            }
            SqlMailboxStore.updateUsage(c, mailboxId, Math.max(0, SqlMailboxStore.counter(c, mailboxId, clock)[1] - freed));
            return removed;
        });
    }

    @Override
    public Map<Long, Long> copy(String mailboxId, Key source, Collection<Long> uids, Key target, long quotaBytes) {
        return change(mailboxId, c -> {
            SqlUserFolders.requireSelectable(c, mailboxId, target);
            long used = SqlMailboxStore.counter(c, mailboxId, clock)[1];
            long next = SqlMailboxStore.nextUid(c, mailboxId, target.value(), clock);
            Map<Long, Long> moved = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_messages "
                    + "(mailbox_id, uid, folder, size, received_at, content, flags) "
                    + "SELECT mailbox_id, ?, ?, size, received_at, content, flags FROM mailbox_messages "
                    + "WHERE mailbox_id = ? AND uid = ? AND folder = ?")) {
                long firstNew = next; // within one folder, never the copies this call makes
                for (long uid : new TreeSet<>(uids)) {
                    if (source.equals(target) && uid >= firstNew) continue;
                    Long size = column(c, "size", mailboxId, source, uid);
                    if (size == null) continue;
                    used += size;
                    if (quotaBytes > 0 && used > quotaBytes)
                        throw new QuotaExceeded("mailbox " + mailboxId + " is full: the copies need " + used
                                + " of " + quotaBytes + " bytes");
                    s.setLong(1, next);
                    s.setString(2, target.value());
                    s.setString(3, mailboxId);
                    s.setLong(4, uid);
                    s.setString(5, source.value());
                    s.executeUpdate();
                    moved.put(uid, next++);
                }
            }
            if (moved.isEmpty()) return moved;
            SqlMailboxStore.setNextUid(c, mailboxId, target.value(), next);
            SqlMailboxStore.updateUsage(c, mailboxId, used);
            return moved;
        });
    }

    @Override
    public Map<Long, Long> move(String mailboxId, Key source, Collection<Long> uids, Key target) {
        return change(mailboxId, c -> {
            SqlUserFolders.requireSelectable(c, mailboxId, target);
            long next = SqlMailboxStore.nextUid(c, mailboxId, target.value(), clock);
            Map<Long, Long> moved = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("UPDATE mailbox_messages SET uid = ?, folder = ? "
                    + "WHERE mailbox_id = ? AND uid = ? AND folder = ?")) {
                long firstNew = next; // within one folder, never a message this call has moved already
                for (long uid : new TreeSet<>(uids)) {
                    if (source.equals(target) && uid >= firstNew) continue;
                    s.setLong(1, next);
                    s.setString(2, target.value());
                    s.setString(3, mailboxId);
                    s.setLong(4, uid);
                    s.setString(5, source.value());
                    if (s.executeUpdate() == 1) moved.put(uid, next++);
                }
            }
            if (!moved.isEmpty()) SqlMailboxStore.setNextUid(c, mailboxId, target.value(), next);
            return moved;
        });
    }
}

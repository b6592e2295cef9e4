package sluice.store.mailbox;

import sluice.core.mailbox.MailboxFolders.Key;
import sluice.core.mailbox.MailboxChanges;
import sluice.core.mailbox.MailboxStore;
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
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Hosted mailbox content on SQL. A per-mailbox counter row holds the bytes used, so the quota check
 * and the append are one transaction that reads one row (no SUM over the mailbox); a per-folder row
 * holds the folder's next UID, so UIDs only grow in each folder and a folder's UIDNEXT changes only
 * when a message is added to it, as IMAP requires (RFC 9051 section 2.3.1.1). Every write runs on
 * the store's one writer, so two appends to one folder never take the same UID. {@link #append}
 * returns once synced.
 */
public final class SqlMailboxStore implements MailboxStore {
    private final GroupCommitWriter writer;
    private final ReadPool readers;
    private final InstantSource clock;
    private final MailboxChanges changes;

    /** {@code changes} is raised after every committed delivery; share it with the {@link SqlMailboxFolders} on the same writer. */
    public SqlMailboxStore(GroupCommitWriter writer, ReadPool readers, InstantSource clock, MailboxChanges changes) {
        this.writer = writer;
        this.readers = readers;
        this.clock = clock;
        this.changes = changes;
    }

    @Override
    public void append(String mailboxId, Folder folder, byte[] content, long quotaBytes) {
        long receivedAt = clock.millis();
        byte[] copy = content.clone();
        writeThenSignal(writer, changes, mailboxId, c -> insert(c, mailboxId, folder.name(), copy, receivedAt, 0, quotaBytes, clock));
    }

    /**
     * Runs {@code work} on the writer and raises the mailbox's version once it returns: after the commit,
     * so a session that sees the new version and reads the store sees the write. Also when the work
     * failed: a needless read of the folder costs little, a missed change would hide mail.
     */
    static <T> T writeThenSignal(GroupCommitWriter writer, MailboxChanges changes, String mailboxId, SqlWork<T> work) {
        try {
            return writer.write(work);
        } finally {
            changes.changed(mailboxId);
        }
    }

    /**
     * Inserts a message with the folder's next UID inside a write task and returns the UID; delivery
     * and IMAP APPEND share it, so both count against the quota alike. QuotaExceeded thrown inside
     * the task rolls back its savepoint: nothing is stored.
     */
    static long insert(Connection c, String mailboxId, String folder, byte[] content, long receivedAt, int flags,
                       long quotaBytes, InstantSource clock) throws SQLException {
        if (quotaBytes < 0) throw new IllegalArgumentException("quota must not be negative");
        long used = counter(c, mailboxId, clock)[1];
        if (quotaBytes > 0 && used + content.length > quotaBytes)
            throw new QuotaExceeded("mailbox " + mailboxId + " is full: " + used + " of " + quotaBytes
                    + " bytes used, the message needs " + content.length);
        long uid = nextUid(c, mailboxId, folder, clock);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_messages "
                + "(mailbox_id, uid, folder, size, received_at, content, flags) VALUES (?,?,?,?,?,?,?)")) {
            s.setString(1, mailboxId);
            s.setLong(2, uid);
            s.setString(3, folder);
            s.setLong(4, content.length);
            s.setLong(5, receivedAt);
            s.setBytes(6, content);
            s.setInt(7, flags);
            s.executeUpdate();
        }
        setNextUid(c, mailboxId, folder, uid + 1);
        updateUsage(c, mailboxId, used + content.length);
        return uid;
    }

    /**
     * {first UID of a new folder counter, used bytes, uid validity}, creating the counter row on
     * first use. A new counter's UIDVALIDITY is the time in seconds: were the row ever created again,
     * its UIDs would start over and IMAP clients must see a new value.
     */
    static long[] counter(Connection c, String mailboxId, InstantSource clock) throws SQLException {
        long[] read = readCounter(c, mailboxId);
        if (read != null) return read;
        long validity = Math.max(1, clock.millis() / 1000);
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO mailbox_counters (mailbox_id, first_folder_uid, used_bytes, uid_validity) VALUES (?, 1, 0, ?)")) {
            s.setString(1, mailboxId);
            s.setLong(2, validity);
            s.executeUpdate();
        }
        return new long[]{1, 0, validity};
    }

    /** The mailbox's counter row as {@link #counter} returns it, or null when there is none yet. */
    static long[] readCounter(Connection c, String mailboxId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT first_folder_uid, used_bytes, uid_validity FROM mailbox_counters WHERE mailbox_id = ?")) {
            s.setString(1, mailboxId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)} : null;
            }
        }
    }

    /**
     * The UID the next message added to {@code folder} gets: its counter's, or, before the folder's
     * first message, the mailbox's first folder UID (above every UID given before V24, when all
     * folders shared one counter). Creates the mailbox counter on first use.
     */
    static long nextUid(Connection c, String mailboxId, String folder, InstantSource clock) throws SQLException {
        Long next = readNextUid(c, mailboxId, folder);
        return next != null ? next : counter(c, mailboxId, clock)[0];
    }

    /** The folder counter's next UID, or null when the folder has none yet (read-only). */
    static Long readNextUid(Connection c, String mailboxId, String folder) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT next_uid FROM mailbox_folder_counters WHERE mailbox_id = ? AND folder = ?")) {
            s.setString(1, mailboxId);
            s.setString(2, folder);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Sets the folder's next UID, creating its counter row on the first message. */
    static void setNextUid(Connection c, String mailboxId, String folder, long nextUid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO mailbox_folder_counters (mailbox_id, folder, next_uid) "
                + "VALUES (?, ?, ?) ON CONFLICT (mailbox_id, folder) DO UPDATE SET next_uid = excluded.next_uid")) {
            s.setString(1, mailboxId);
            s.setString(2, folder);
            s.setLong(3, nextUid);
            s.executeUpdate();
        }
    }

    /** Sets the bytes used of the counter row (which {@link #counter} has created). */
    static void updateUsage(Connection c, String mailboxId, long usedBytes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE mailbox_counters SET used_bytes = ? WHERE mailbox_id = ?")) {
            s.setLong(1, usedBytes);
            s.setString(2, mailboxId);
            s.executeUpdate();
        }
    }

    @Override
    public long usage(String mailboxId) {
        return readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT used_bytes FROM mailbox_counters WHERE mailbox_id = ?")) {
                s.setString(1, mailboxId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<StoredMessage> list(String mailboxId, Folder folder) {
        return readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT uid, size, received_at FROM mailbox_messages "
                    + "WHERE mailbox_id = ? AND folder = ? ORDER BY uid")) {
                s.setString(1, mailboxId);
                s.setString(2, folder.name());
                try (ResultSet rs = s.executeQuery()) {
                    List<StoredMessage> list = new ArrayList<>();
                    while (rs.next())
                        list.add(new StoredMessage(rs.getLong(1), folder, rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3))));
                    return list;
                }
            }
        });
    }

    /** @throws NoSuchElementException when the folder has no message with that UID */
    @Override
    public byte[] content(String mailboxId, Key folder, long uid) {
        return readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT content FROM mailbox_messages WHERE mailbox_id = ? AND folder = ? AND uid = ?")) {
                s.setString(1, mailboxId);
                s.setString(2, folder.value());
                s.setLong(3, uid);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) throw new NoSuchElementException("mailbox " + mailboxId + " has no message " + uid
                            + " in " + folder.value());
                    return rs.getBytes(1);
                }
            }
        });
    }
}

package sluice.store.mailbox;

import sluice.core.mailbox.MailboxFolders.Key;
import sluice.core.mailbox.MailboxFolders.Refused;
import sluice.core.mailbox.MailboxFolders.Refused.Reason;
import sluice.core.mailbox.MailboxFolders.UserFolder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The folders clients create (table mailbox_folders) and their subscriptions, as steps inside one
 * write or read transaction of {@link SqlMailboxFolders}. Names are compared as stored (octets of
 * modified UTF-7), in Java rather than with LIKE, where '_' in a name would be a wildcard.
 */
final class SqlUserFolders {

    private SqlUserFolders() {
    }

    static List<UserFolder> list(Connection c, String mailboxId) throws SQLException {
        List<UserFolder> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT name, folder_key, selectable FROM mailbox_folders WHERE mailbox_id = ?")) {
            s.setString(1, mailboxId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(new UserFolder(rs.getString(1), new Key(rs.getString(2)), rs.getInt(3) != 0));
            }
        }
        out.sort(Comparator.comparing(UserFolder::name));
        return out;
    }

    private static UserFolder find(List<UserFolder> folders, String name) {
        for (UserFolder f : folders) if (f.name().equals(name)) return f;
        return null;
    }

    private static boolean below(String name, String parent) {
        return name.startsWith(parent + "/");
    }

    static void create(Connection c, String mailboxId, InstantSource clock, String name, List<String> parents, int maxFolders)
            throws SQLException {
        List<UserFolder> folders = list(c, mailboxId);
        UserFolder existing = find(folders, name);
        if (existing != null && existing.selectable()) throw new Refused(Reason.ALREADY_EXISTS, "the folder " + name + " exists");
        int count = folders.size();
        for (String parent : parents) {
            if (find(folders, parent) != null) continue;
            limit(++count, maxFolders);
            insert(c, mailboxId, parent, newKey(c, mailboxId, clock));
        }
        if (existing == null) {
            limit(++count, maxFolders);
            insert(c, mailboxId, name, newKey(c, mailboxId, clock));
        } else { // a \Noselect name comes back as a new folder: new key, new UIDVALIDITY
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE mailbox_folders SET folder_key = ?, selectable = 1 WHERE mailbox_id = ? AND name = ?")) {
                s.setString(1, newKey(c, mailboxId, clock).value());
                s.setString(2, mailboxId);
                s.setString(3, name);
                s.executeUpdate();
            }
        }
    }

    private static void limit(int count, int maxFolders) {
        if (count > maxFolders) throw new Refused(Reason.LIMIT, "a mailbox may have at most " + maxFolders + " folders");
    }

    private static void insert(Connection c, String mailboxId, String name, Key key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO mailbox_folders (mailbox_id, name, folder_key, selectable) VALUES (?, ?, ?, 1)")) {
            s.setString(1, mailboxId);
            s.setString(2, name);
            s.setString(3, key.value());
            s.executeUpdate();
        }
    }

    /**
     * A key whose UIDVALIDITY is larger than the counter's own and every one given to a user folder
     * of this mailbox before: the time in seconds when that is larger still, so values stay unique
     * even if the counter row were ever created again.
     */
    private static Key newKey(Connection c, String mailboxId, InstantSource clock) throws SQLException {
        long[] counter = SqlMailboxStore.counter(c, mailboxId, clock);
        long last;
        try (PreparedStatement s = c.prepareStatement("SELECT last_folder_validity FROM mailbox_counters WHERE mailbox_id = ?")) {
            s.setString(1, mailboxId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
            }
        }
        long validity = Math.max(clock.millis() / 1000, Math.max(counter[2], last) + 1);
        try (PreparedStatement s = c.prepareStatement("UPDATE mailbox_counters SET last_folder_validity = ? WHERE mailbox_id = ?")) {
            s.setLong(1, validity);
            s.setString(2, mailboxId);
            s.executeUpdate();
        }
        return Key.user(validity);
    }

    static void delete(Connection c, String mailboxId, InstantSource clock, String name) throws SQLException {
        List<UserFolder> folders = list(c, mailboxId);
        UserFolder folder = find(folders, name);
        if (folder == null) throw new Refused(Reason.NONEXISTENT, "no folder " + name);
        boolean children = folders.stream().anyMatch(f -> below(f.name(), name));
        if (children && !folder.selectable())
            throw new Refused(Reason.HAS_CHILDREN, "the folder " + name + " has only its subfolders left; delete them first");
        removeMessages(c, mailboxId, clock, folder.key());
        update(c, children ? "UPDATE mailbox_folders SET selectable = 0 WHERE mailbox_id = ? AND name = ?"
                : "DELETE FROM mailbox_folders WHERE mailbox_id = ? AND name = ?", mailboxId, name);
    }

    /** Runs {@code sql} with the mailbox and a name as its two parameters. */
    private static void update(Connection c, String sql, String mailboxId, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, mailboxId);
            s.setString(2, name);
            s.executeUpdate();
        }
    }

    private static void removeMessages(Connection c, String mailboxId, InstantSource clock, Key key) throws SQLException {
        long freed;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COALESCE(SUM(size), 0) FROM mailbox_messages WHERE mailbox_id = ? AND folder = ?")) {
            s.setString(1, mailboxId);
            s.setString(2, key.value());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                freed = rs.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM mailbox_messages WHERE mailbox_id = ? AND folder = ?")) {
            s.setString(1, mailboxId);
            s.setString(2, key.value());
            s.executeUpdate();
        }
        SqlMailboxStore.updateUsage(c, mailboxId, Math.max(0, SqlMailboxStore.counter(c, mailboxId, clock)[1] - freed));
        // The counter row stays (a few bytes): the key is never given again, and read later it still reports
        // the UIDNEXT it had, which only grows under one UIDVALIDITY.
    }

    static void rename(Connection c, String mailboxId, InstantSource clock, String from, String to, List<String> parents,
                       int maxFolders) throws SQLException {
        List<UserFolder> folders = list(c, mailboxId);
        if (find(folders, from) == null) throw new Refused(Reason.NONEXISTENT, "no folder " + from);
        if (find(folders, to) != null || folders.stream().anyMatch(f -> below(f.name(), to)))
            throw new Refused(Reason.ALREADY_EXISTS, "the folder " + to + " exists");
        int count = folders.size();
        for (String parent : parents) {
            if (find(folders, parent) != null) continue;
            limit(++count, maxFolders);
            insert(c, mailboxId, parent, newKey(c, mailboxId, clock));
        }
        for (String table : List.of("mailbox_folders", "mailbox_subscriptions")) {
            List<String> names = names(c, table, mailboxId);
            try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET name = ? WHERE mailbox_id = ? AND name = ?")) {
                for (String name : names) {
                    if (!name.equals(from) && !below(name, from)) continue;
                    String renamed = to + name.substring(from.length());
                    // A subscription may outlive its folder (section 6.3.6): one to the new name already is enough.
                    if (names.contains(renamed)) {
                        update(c, "DELETE FROM " + table + " WHERE mailbox_id = ? AND name = ?", mailboxId, name);
                        continue;
                    }
                    s.setString(1, renamed);
                    s.setString(2, mailboxId);
                    s.setString(3, name);
                    s.executeUpdate();
                }
            }
        }
    }

    /** Every name in {@code table} for the mailbox. */
    private static List<String> names(Connection c, String table, String mailboxId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM " + table + " WHERE mailbox_id = ?")) {
            s.setString(1, mailboxId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    static List<String> subscriptions(Connection c, String mailboxId) throws SQLException {
        List<String> names = names(c, "mailbox_subscriptions", mailboxId);
        names.sort(null);
        return names;
    }

    static void subscribe(Connection c, String mailboxId, String name, boolean subscribed, int max) throws SQLException {
        List<String> names = names(c, "mailbox_subscriptions", mailboxId);
        if (subscribed == names.contains(name)) return;
        if (subscribed && names.size() >= max) throw new Refused(Reason.LIMIT, "a mailbox may have at most " + max + " subscriptions");
        update(c, subscribed ? "INSERT INTO mailbox_subscriptions (mailbox_id, name) VALUES (?, ?)"
                : "DELETE FROM mailbox_subscriptions WHERE mailbox_id = ? AND name = ?", mailboxId, name);
    }

    /** Throws NONEXISTENT unless {@code key} is a special folder or a selectable user folder. */
    static void requireSelectable(Connection c, String mailboxId, Key key) throws SQLException {
        if (key.userValidity() == 0) return;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM mailbox_folders WHERE mailbox_id = ? AND folder_key = ? AND selectable = 1")) {
            s.setString(1, mailboxId);
            s.setString(2, key.value());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) throw new Refused(Reason.NONEXISTENT, "the folder was deleted");
            }
        }
    }
}

package sluice.store.account;

import sluice.core.account.AdminRole;
import sluice.core.account.User;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rows of {@code users} and {@code user_organizations}. */
final class UserRows {

    private UserRows() {
    }

    /** Users matching {@code where} (one optional string parameter), with their organizations. */
    static List<User> users(Connection c, String where, String arg) throws SQLException {
        Map<String, Object[]> rows = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, username, display_name, role, enabled, password_hash "
                + "FROM users WHERE " + where)) {
            if (arg != null) s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next())
                    rows.put(rs.getString(1), new Object[]{rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5) != 0, rs.getString(6)});
            }
        }
        List<User> users = new ArrayList<>();
        for (var e : rows.entrySet()) {
            Object[] r = e.getValue();
            users.add(new User(e.getKey(), (String) r[0], (String) r[1], AdminRole.valueOf((String) r[2]),
                    organizations(c, e.getKey()), (Boolean) r[3], (String) r[4]));
        }
        return users;
    }

    private static Set<String> organizations(Connection c, String userId) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT organization_id FROM user_organizations WHERE user_id = ?")) {
            s.setString(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    static void insert(Connection c, User u) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO users (id, username, username_key, display_name, role, "
                + "enabled, password_hash) VALUES (?,?,?,?,?,?,?)")) {
            bind(s, u);
            s.executeUpdate();
        }
        insertOrganizations(c, u);
    }

    /** False when there is no such user. */
    static boolean update(Connection c, User u) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE users SET id = ?, username = ?, username_key = ?, "
                + "display_name = ?, role = ?, enabled = ?, password_hash = ? WHERE id = ?")) {
            bind(s, u);
            s.setString(8, u.id());
            if (s.executeUpdate() == 0) return false;
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM user_organizations WHERE user_id = ?")) {
            s.setString(1, u.id());
            s.executeUpdate();
        }
        insertOrganizations(c, u);
        return true;
    }

    /** False when there is no such user or its password hash is not {@code expectedHash}. */
    static boolean replacePasswordHash(Connection c, String id, String expectedHash, String newHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?")) {
            s.setString(1, newHash);
            s.setString(2, id);
            s.setString(3, expectedHash);
            return s.executeUpdate() > 0;
        }
    }

    /** Rows deleted from {@code table} (a constant of ours, never input) with this id. */
    static int delete(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            s.setString(1, id);
            return s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, User u) throws SQLException {
        s.setString(1, u.id());
        s.setString(2, u.username());
        s.setString(3, u.usernameKey());
        s.setString(4, u.displayName());
        s.setString(5, u.role().name());
        s.setInt(6, u.enabled() ? 1 : 0);
        s.setString(7, u.passwordHash());
    }

    private static void insertOrganizations(Connection c, User u) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO user_organizations (user_id, organization_id) VALUES (?,?)")) {
            for (String org : u.organizationIds()) {
                s.setString(1, u.id());
                s.setString(2, org);
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}

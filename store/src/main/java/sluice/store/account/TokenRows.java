package sluice.store.account;

import sluice.core.account.ApiToken;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rows of {@code api_tokens}. */
final class TokenRows {

    private TokenRows() {
    }

    static List<ApiToken> tokens(Connection c, String where, String arg) throws SQLException {
        List<ApiToken> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, user_id, name, secret_hash, created_at, expires_at "
                + "FROM api_tokens WHERE " + where + " ORDER BY created_at, id")) {
            if (arg != null) s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long expires = rs.getLong(6);
                    Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
                    out.add(new ApiToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), expiresAt));
                }
            }
        }
        return out;
    }

    static void insert(Connection c, ApiToken t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO api_tokens (id, user_id, name, secret_hash, created_at, "
                + "expires_at) VALUES (?,?,?,?,?,?)")) {
            s.setString(1, t.id());
            s.setString(2, t.userId());
            s.setString(3, t.name());
            s.setString(4, t.secretHash());
            s.setLong(5, t.createdAt().toEpochMilli());
            if (t.expiresAt() == null) s.setNull(6, Types.BIGINT);
            else s.setLong(6, t.expiresAt().toEpochMilli());
            s.executeUpdate();
        }
    }
}

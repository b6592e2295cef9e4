package sluice.store.directory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.org.Organization;
import sluice.core.org.UnreadableRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The directory's SQL: loading everything at start-up and writing one object at a time. */
final class DirectoryRows {
    private static final Logger log = LoggerFactory.getLogger(DirectoryRows.class);

    private DirectoryRows() {
    }

    static String nameKey(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Loads the whole directory. A row that no longer parses (a name written before names were read as strictly) is
     * logged and kept apart as unreadable, out of what mail is routed by; never fatal.
     */
    static void load(Connection c, DirectoryCache cache) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, name, reject_direct_send FROM organizations");
             ResultSet rs = s.executeQuery()) {
            while (rs.next())
                cache.organizations.put(rs.getString(1), new Organization(rs.getString(1), rs.getString(2), rs.getInt(3) != 0));
        }
        try (PreparedStatement s = c.prepareStatement("SELECT id, organization_id, domain, type, match_subdomains FROM accepted_domains");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                try {
                    cache.putDomain(new AcceptedDomain(rs.getString(1), rs.getString(2), new Domain(rs.getString(3)),
                            AcceptedDomain.Type.valueOf(rs.getString(4)), rs.getInt(5) != 0));
                } catch (IllegalArgumentException e) {
                    UnreadableRow u = new UnreadableRow(rs.getString(1), rs.getString(2), rs.getString(3), e.getMessage());
                    cache.unreadableDomains.put(u.id(), u);
                    if (rs.getInt(5) != 0) cache.unreadableDomainsMatchingSubdomains.add(u.id());
                    log.error("accepted domain {} of organization {} is unreadable and receives no mail; it is listed as unreadable"
                            + " and can be deleted: {}", u.id(), u.organizationId(), e.getMessage());
                }
            }
        }
        Map<String, List<StoredAddress>> addresses = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT mailbox_id, address_key, address FROM mailbox_addresses ORDER BY mailbox_id, position");
             ResultSet rs = s.executeQuery()) {
            while (rs.next())
                addresses.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(StoredAddress.of(rs.getString(2), rs.getString(3)));
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, organization_id, address, display_name, password_hash, quota_bytes FROM mailboxes");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1), organizationId = rs.getString(2);
                List<StoredAddress> stored = addresses.getOrDefault(id, List.of());
                try {
                    Address primary = Address.parse(rs.getString(3));
                    List<Address> aliases = stored.stream().filter(a -> a.parsed() != null && !a.parsed().key().equals(primary.key()))
                            .map(StoredAddress::parsed).toList();
                    cache.putMailbox(new Mailbox(id, organizationId, primary, aliases, rs.getString(4), rs.getString(5), rs.getLong(6)));
                    for (StoredAddress a : stored) {
                        if (a.parsed() != null) continue;
                        cache.unreadableAliases.put(a.key(), new DirectoryCache.UnreadableAlias(id,
                                new UnreadableRow(a.key(), organizationId, a.text(), a.refusal())));
                        log.error("alias {} of mailbox {} is unreadable and receives no mail; it is listed with the mailbox and can be"
                                + " deleted: {}", a.text(), id, a.refusal());
                    }
                } catch (IllegalArgumentException e) {
                    UnreadableRow u = new UnreadableRow(id, organizationId, rs.getString(3), e.getMessage());
                    cache.unreadableMailboxes.put(id, u);
                    stored.forEach(a -> cache.keysOfUnreadableMailboxes.put(a.key(), id));
                    log.error("mailbox {} of organization {} is unreadable and receives no mail; it is listed as unreadable and can be"
                            + " deleted: {}", id, organizationId, e.getMessage());
                }
            }
        }
    }

    /** A row of mailbox_addresses: {@code parsed} null, and {@code refusal} why, when the address cannot be read. */
    private record StoredAddress(String key, String text, Address parsed, String refusal) {
        static StoredAddress of(String key, String text) {
            try {
                return new StoredAddress(key, text, Address.parse(text), null);
            } catch (IllegalArgumentException e) {
                return new StoredAddress(key, text, null, e.getMessage());
            }
        }
    }

    static void upsertOrganization(Connection c, Organization o, boolean insert) throws SQLException {
        String sql = insert ? "INSERT INTO organizations (name, name_key, reject_direct_send, id) VALUES (?,?,?,?)"
                : "UPDATE organizations SET name = ?, name_key = ?, reject_direct_send = ? WHERE id = ?";
        execute(c, sql, o.name(), nameKey(o.name()), o.rejectDirectSend() ? 1 : 0, o.id());
    }

    static void upsertDomain(Connection c, AcceptedDomain d, boolean insert) throws SQLException {
        String sql = insert ? "INSERT INTO accepted_domains (organization_id, domain, type, match_subdomains, id) VALUES (?,?,?,?,?)"
                : "UPDATE accepted_domains SET organization_id = ?, domain = ?, type = ?, match_subdomains = ? WHERE id = ?";
        execute(c, sql, d.organizationId(), d.domain().name(), d.type().name(), d.matchSubdomains() ? 1 : 0, d.id());
    }

    /**
     * Writes the mailbox and its addresses; its stored aliases that cannot be read ({@code unreadableKeys}, their
     * address keys) stay as they are.
     */
    static void upsertMailbox(Connection c, Mailbox m, boolean insert, List<String> unreadableKeys) throws SQLException {
        String sql = insert ? "INSERT INTO mailboxes (organization_id, address, display_name, password_hash, quota_bytes, id) VALUES (?,?,?,?,?,?)"
                : "UPDATE mailboxes SET organization_id = ?, address = ?, display_name = ?, password_hash = ?, quota_bytes = ? WHERE id = ?";
        execute(c, sql, m.organizationId(), m.address().toString(), m.displayName(), m.passwordHash(), m.quotaBytes(), m.id());
        List<Object> args = new ArrayList<>(List.of(m.id()));
        args.addAll(unreadableKeys);
        execute(c, "DELETE FROM mailbox_addresses WHERE mailbox_id = ?"
                + (unreadableKeys.isEmpty() ? "" : " AND address_key NOT IN (" + "?,".repeat(unreadableKeys.size() - 1) + "?)"),
                args.toArray());
        List<Address> all = DirectoryCache.addresses(m).toList();
        for (int i = 0; i < all.size(); i++)
            execute(c, "INSERT INTO mailbox_addresses (address_key, mailbox_id, address, position) VALUES (?,?,?,?)",
                    all.get(i).key(), m.id(), all.get(i).toString(), i);
    }

    static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            s.executeUpdate();
        }
    }
}

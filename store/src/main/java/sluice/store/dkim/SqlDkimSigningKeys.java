package sluice.store.dkim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Domain;
import sluice.core.org.Directory;
import sluice.core.org.DkimSigningKey;
import sluice.core.org.DkimSigningKeys;
import sluice.core.org.UnreadableRow;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;
import sluice.store.directory.SqlDirectory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DKIM signing keys on SQL, all held in memory: signing asks for the active key of every outbound message.
 *
 * <p>A key lives only while its domain is an accepted domain of its organization: it is created or
 * enabled only then ({@link Directory.Conflict} otherwise), and deleting the accepted domain deletes
 * the organization's keys for it in the same transaction. Otherwise a former owner of a domain could
 * keep signing as it, wherever the new owner left the old selector's record published, and hold its
 * selectors. Writes run under the directory's write lock, so a check and the write it allows are not
 * split by the domain's deletion.
 *
 * <p>A stored key this version cannot read (a domain name written before names were read as strictly) never
 * signs: it is listed as {@link #unreadable} and can be deleted by its id, until which its organization cannot be
 * deleted either.
 */
public final class SqlDkimSigningKeys implements DkimSigningKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SqlDkimSigningKeys.class);

    private static final String COLUMNS = "id, organization_id, domain, selector, key_type, private_key, dns_record, enabled, created_at";

    private final GroupCommitWriter writer;
    private final SqlDirectory directory;
    private final Map<String, DkimSigningKey> keys = new ConcurrentHashMap<>();
    private final Map<String, UnreadableRow> unreadable = new ConcurrentHashMap<>();

    public SqlDkimSigningKeys(GroupCommitWriter writer, ReadPool readers, SqlDirectory directory) {
        this.writer = writer;
        this.directory = directory;
        directory.addDependents("DKIM key(s)", org -> (int) keys.values().stream().filter(k -> k.organizationId().equals(org)).count()
                + (int) unreadable.values().stream().filter(u -> u.organizationId().equals(org)).count());
        directory.addDomainDependents(new SqlDirectory.DomainDependents() {
            @Override
            public void delete(Connection c, String organizationId, String name) throws SQLException {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM dkim_keys WHERE organization_id = ? AND domain = ?")) {
                    s.setString(1, organizationId);
                    s.setString(2, name);
                    s.executeUpdate();
                }
            }

            @Override
            public void deleted(String organizationId, String name) {
                keys.values().removeIf(k -> k.organizationId().equals(organizationId) && k.domain().name().equals(name));
                // the rows delete() removed include keys unreadable for another reason than their domain (a selector)
                unreadable.values().removeIf(u -> u.organizationId().equals(organizationId) && name.equals(u.storedName()));
            }
        });
        readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM dkim_keys"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    try {
                        DkimSigningKey k = row(rs);
                        keys.put(k.id(), k);
                    } catch (IllegalArgumentException e) {
                        // e.g. a domain stored under rules since tightened: the node starts, and the key never signs
                        UnreadableRow u = new UnreadableRow(rs.getString("id"), rs.getString("organization_id"),
                                rs.getString("domain"), e.getMessage());
                        unreadable.put(u.id(), u);
                        LOG.error("DKIM key {} of organization {} is unreadable and never signs; it is listed as unreadable and can be"
                                + " deleted: {}", u.id(), u.organizationId(), e.getMessage());
                    }
                }
            }
            return null;
        });
    }

    private static DkimSigningKey row(ResultSet rs) throws SQLException {
        return new DkimSigningKey(rs.getString("id"), rs.getString("organization_id"), Domain.of(rs.getString("domain")),
                rs.getString("selector"), rs.getString("key_type"), rs.getString("private_key"), rs.getString("dns_record"),
                rs.getInt("enabled") != 0, Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    @Override
    public List<DkimSigningKey> keys(String organizationId) {
        return keys.values().stream().filter(k -> k.organizationId().equals(organizationId))
                .sorted(Comparator.comparing((DkimSigningKey k) -> k.domain().name()).thenComparing(DkimSigningKey::createdAt))
                .toList();
    }

    @Override
    public List<UnreadableRow> unreadable() {
        return unreadable.values().stream().sorted(Comparator.comparing(UnreadableRow::id)).toList();
    }

    @Override
    public Optional<DkimSigningKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public Optional<DkimSigningKey> activeFor(String organizationId, Domain domain) {
        return keys.values().stream().filter(k -> k.enabled() && k.organizationId().equals(organizationId) && k.domain().equals(domain))
                .max(Comparator.comparing(DkimSigningKey::createdAt).thenComparing(DkimSigningKey::selector));
    }

    @Override
    public DkimSigningKey create(DkimSigningKey given) {
        DkimSigningKey k = new DkimSigningKey(UUID.randomUUID().toString(), given.organizationId(), given.domain(),
                given.selector(), given.keyType(), given.privateKeyPem(), given.dnsRecord(), given.enabled(), given.createdAt());
        return directory.withOrganization(k.organizationId(), () -> {
            requireAcceptedDomain(k);
            // One TXT record per selector name in the domain's DNS: unique per domain, not per organization.
            boolean duplicate = keys.values().stream().anyMatch(o -> o.domain().equals(k.domain()) && o.selector().equals(k.selector()));
            if (duplicate) throw new Directory.Conflict("selector " + k.selector() + " is already used for " + k.domain());
            writer.write(c -> {
                insert(c, k);
                return null;
            });
            keys.put(k.id(), k);
            return k;
        });
    }

    private void requireAcceptedDomain(DkimSigningKey k) {
        boolean accepted = directory.acceptedDomainFor(k.domain())
                .filter(d -> d.domain().equals(k.domain()) && d.organizationId().equals(k.organizationId())).isPresent();
        if (!accepted) throw new Directory.Conflict(k.domain() + " is not an accepted domain of the organization");
    }

    private static void insert(Connection c, DkimSigningKey k) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dkim_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, k.id());
            s.setString(2, k.organizationId());
            s.setString(3, k.domain().name());
            s.setString(4, k.selector());
            s.setString(5, k.keyType());
            s.setString(6, k.privateKeyPem());
            s.setString(7, k.dnsRecord());
            s.setInt(8, k.enabled() ? 1 : 0);
            s.setLong(9, k.createdAt().toEpochMilli());
            s.executeUpdate();
        }
    }

    /** Changes whether the key is enabled, nothing else: a key never moves to another organization or domain. */
    @Override
    public DkimSigningKey update(DkimSigningKey given) {
        DkimSigningKey current = existing(given.id());
        return directory.withOrganization(current.organizationId(), () -> {
            DkimSigningKey k = existing(given.id()).withEnabled(given.enabled());
            if (k.enabled()) requireAcceptedDomain(k);
            writer.write(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE dkim_keys SET enabled = ? WHERE id = ?")) {
                    s.setInt(1, k.enabled() ? 1 : 0);
                    s.setString(2, k.id());
                    s.executeUpdate();
                }
                return null;
            });
            keys.put(k.id(), k);
            return k;
        });
    }

    @Override
    public void delete(String id) {
        UnreadableRow u = unreadable.get(id);
        directory.withOrganization(u != null ? u.organizationId() : existing(id).organizationId(), () -> {
            if (!unreadable.containsKey(id)) existing(id);
            writer.write(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM dkim_keys WHERE id = ?")) {
                    s.setString(1, id);
                    s.executeUpdate();
                }
                return null;
            });
            keys.remove(id);
            unreadable.remove(id);
            return null;
        });
    }

    private DkimSigningKey existing(String id) {
        DkimSigningKey k = keys.get(id);
        if (k == null) throw new Directory.NotFound("no DKIM key " + id);
        return k;
    }
}

package sluice.store.directory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.core.org.PendingDomains;
import sluice.core.org.UnreadableRow;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending domains on SQL, all held in memory (a few per organization at most). Writes are
 * serialised so the per-organization checks cannot race; an organization with pending domains
 * cannot be deleted until they are (as with its other objects). A stored one this version cannot read (a
 * domain name written before names were read as strictly) is never verified: it is listed as
 * {@link #unreadable} and can be deleted by its id; until then, claiming the name it is stored under again in its
 * organization is a {@link Directory.Conflict} naming it, not a unique violation.
 */
public final class SqlPendingDomains implements PendingDomains {

    private static final Logger LOG = LoggerFactory.getLogger(SqlPendingDomains.class);

    private static final String COLUMNS = "id, organization_id, domain, type, match_subdomains, token, created_at";

    private final GroupCommitWriter writer;
    private final SqlDirectory directory;
    private final Map<String, PendingDomain> byId = new ConcurrentHashMap<>();
    private final Map<String, UnreadableRow> unreadable = new ConcurrentHashMap<>();

    public SqlPendingDomains(GroupCommitWriter writer, ReadPool readers, SqlDirectory directory) {
        this.writer = writer;
        this.directory = directory;
        directory.addDependents("pending domain(s)", org -> pending(org).size()
                + (int) unreadable.values().stream().filter(u -> u.organizationId().equals(org)).count());
        readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM pending_domains"); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    try {
                        PendingDomain d = new PendingDomain(rs.getString(1), rs.getString(2), Domain.of(rs.getString(3)),
                                AcceptedDomain.Type.valueOf(rs.getString(4)), rs.getInt(5) != 0, rs.getString(6),
                                Instant.ofEpochMilli(rs.getLong(7)));
                        byId.put(d.id(), d);
                    } catch (IllegalArgumentException e) {
                        // e.g. a domain stored under rules since tightened: the node starts, and it is never verified
                        UnreadableRow u = new UnreadableRow(rs.getString(1), rs.getString(2), rs.getString(3), e.getMessage());
                        unreadable.put(u.id(), u);
                        LOG.error("pending domain {} of organization {} is unreadable and is never verified; it is listed as unreadable"
                                + " and can be deleted: {}", u.id(), u.organizationId(), e.getMessage());
                    }
                }
            }
            return null;
        });
    }

    @Override
    public List<PendingDomain> pending(String organizationId) {
        return byId.values().stream().filter(d -> d.organizationId().equals(organizationId))
                .sorted(Comparator.comparing(d -> d.domain().name())).toList();
    }

    @Override
    public List<UnreadableRow> unreadable() {
        return unreadable.values().stream().sorted(Comparator.comparing(UnreadableRow::id)).toList();
    }

    @Override
    public Optional<PendingDomain> pendingDomain(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized PendingDomain create(PendingDomain given) {
        PendingDomains.checkRoomFor(given, pending(given.organizationId()));
        // the stored name, not what it reads as: the database's unique index compares it as stored
        unreadable.values().stream()
                .filter(u -> u.organizationId().equals(given.organizationId()) && given.domain().name().equals(u.storedName()))
                .findFirst().ifPresent(u -> {
                    throw new Directory.Conflict(given.domain() + " is already pending verification in this organization as "
                            + SqlDirectory.heldBy("the pending domain " + u.id(), u, given.organizationId()));
                });
        PendingDomain d = new PendingDomain(UUID.randomUUID().toString(), given.organizationId(), given.domain(), given.type(),
                given.matchSubdomains(), given.token(), given.createdAt());
        // under the directory's lock: the organization cannot be deleted between the check and the insert
        return directory.withOrganization(d.organizationId(), () -> {
            writer.write(c -> {
                DirectoryRows.execute(c, "INSERT INTO pending_domains (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)", d.id(),
                        d.organizationId(), d.domain().name(), d.type().name(), d.matchSubdomains() ? 1 : 0, d.token(),
                        d.createdAt().toEpochMilli());
                return null;
            });
            byId.put(d.id(), d);
            return d;
        });
    }

    @Override
    public synchronized void delete(String id) {
        if (!byId.containsKey(id) && !unreadable.containsKey(id)) throw new Directory.NotFound("no pending domain " + id);
        writer.write(c -> {
            DirectoryRows.execute(c, "DELETE FROM pending_domains WHERE id = ?", id);
            return null;
        });
        byId.remove(id);
        unreadable.remove(id);
    }
}

package sluice.store.connector;

import sluice.core.connector.Connectors;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.OutboundConnector;
import sluice.core.org.Directory.Conflict;
import sluice.core.org.Directory.NotFound;
import sluice.store.db.Dialect;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;
import sluice.store.directory.SqlDirectory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Connectors on SQL with an in-memory copy: {@link #allInbound()} and {@link #allOutbound()} return a
 * snapshot list that is rebuilt after every successful write, so the SMTP and routing hot paths
 * neither query nor copy. Writes run under the directory's write lock once the organization is known
 * to exist ({@link SqlDirectory#withOrganization}), so a connector can never outlive its
 * organization; the directory in turn refuses to delete an organization that still has connectors.
 * Ids are random UUIDs (the id of a connector given to a create method is ignored).
 */
public final class SqlConnectors implements Connectors {
    private static final Comparator<InboundConnector> INBOUND_ORDER =
            Comparator.comparing(InboundConnector::organizationId).thenComparing(i -> ConnectorRows.nameKey(i.name()));
    private static final Comparator<OutboundConnector> OUTBOUND_ORDER =
            Comparator.comparing(OutboundConnector::organizationId).thenComparing(o -> ConnectorRows.nameKey(o.name()));

    private final GroupCommitWriter writer;
    private final Dialect dialect;
    private final SqlDirectory directory;
    private final Map<String, InboundConnector> inbound = new ConcurrentHashMap<>();
    private final Map<String, OutboundConnector> outbound = new ConcurrentHashMap<>();
    private volatile List<InboundConnector> allInbound = List.of();
    private volatile List<OutboundConnector> allOutbound = List.of();

    public SqlConnectors(GroupCommitWriter writer, ReadPool readers, Dialect dialect, SqlDirectory directory) {
        this.writer = writer;
        this.dialect = dialect;
        this.directory = directory;
        readers.read(c -> {
            ConnectorRows.loadInbound(c, i -> inbound.put(i.id(), i));
            ConnectorRows.loadOutbound(c, o -> outbound.put(o.id(), o));
            return null;
        });
        publish();
        directory.addDependents("connector(s)", org -> countOf(org, INBOUND, inbound) + countOf(org, OUTBOUND, outbound));
    }

    @Override public List<InboundConnector> allInbound() { return allInbound; }
    @Override public List<OutboundConnector> allOutbound() { return allOutbound; }
    @Override public Optional<InboundConnector> inboundConnector(String id) { return Optional.ofNullable(inbound.get(id)); }
    @Override public Optional<OutboundConnector> outboundConnector(String id) { return Optional.ofNullable(outbound.get(id)); }

    @Override
    public List<InboundConnector> inbound(String organizationId) {
        return allInbound.stream().filter(i -> i.organizationId().equals(organizationId)).toList();
    }

    @Override
    public List<OutboundConnector> outbound(String organizationId) {
        return allOutbound.stream().filter(o -> o.organizationId().equals(organizationId)).toList();
    }

    @Override
    public InboundConnector createInbound(InboundConnector given) {
        InboundConnector i = new InboundConnector(UUID.randomUUID().toString(), given.organizationId(), given.name(), given.type(),
                given.enabled(), given.comment(), given.senderIpAddresses(), given.tlsSenderCertificateName(), given.senderDomains(),
                given.requireTls(), given.restrictDomainsToIpAddresses(), given.restrictDomainsToCertificate(),
                given.treatMessagesAsInternal(), given.efSkipIps(), given.efSkipLastIp());
        return save(INBOUND, inbound, i, true, c -> ConnectorRows.upsertInbound(c, i, true));
    }

    @Override
    public InboundConnector updateInbound(InboundConnector i) {
        return save(INBOUND, inbound, i, false, c -> ConnectorRows.upsertInbound(c, i, false));
    }

    @Override
    public void deleteInbound(String id) {
        delete(INBOUND, inbound, id);
    }

    @Override
    public OutboundConnector createOutbound(OutboundConnector given) {
        OutboundConnector o = given.withId(UUID.randomUUID().toString());
        return save(OUTBOUND, outbound, o, true, c -> ConnectorRows.upsertOutbound(c, o, true));
    }

    @Override
    public OutboundConnector updateOutbound(OutboundConnector o) {
        return save(OUTBOUND, outbound, o, false, c -> ConnectorRows.upsertOutbound(c, o, false));
    }

    @Override
    public void deleteOutbound(String id) {
        delete(OUTBOUND, outbound, id);
    }

    /** What differs between the two directions, so that one save and one delete serve both. */
    private record Kind<T>(String word, String table, Function<T, String> id, Function<T, String> organization,
                           Function<T, String> name) {
        boolean sameName(T a, T b) {
            return organization.apply(a).equals(organization.apply(b))
                    && ConnectorRows.nameKey(name.apply(a)).equals(ConnectorRows.nameKey(name.apply(b)));
        }
    }

    private static final Kind<InboundConnector> INBOUND = new Kind<>("inbound", "inbound_connectors",
            InboundConnector::id, InboundConnector::organizationId, InboundConnector::name);
    private static final Kind<OutboundConnector> OUTBOUND = new Kind<>("outbound", "outbound_connectors",
            OutboundConnector::id, OutboundConnector::organizationId, OutboundConnector::name);

    /** Check against the cache, commit, then update the cache: the cache never shows an uncommitted change. */
    private <T> T save(Kind<T> kind, Map<String, T> byId, T connector, boolean insert, Change change) {
        String id = kind.id().apply(connector);
        return directory.withOrganization(kind.organization().apply(connector), () -> {
            if (!insert) {
                T old = byId.get(id);
                if (old == null) throw new NotFound("no " + kind.word() + " connector " + id);
                if (!kind.organization().apply(old).equals(kind.organization().apply(connector)))
                    throw new IllegalArgumentException("a connector cannot move to another organization; delete and re-create it");
            }
            if (byId.values().stream().anyMatch(other -> kind.sameName(other, connector) && !kind.id().apply(other).equals(id)))
                throw new Conflict("an " + kind.word() + " connector named '" + kind.name().apply(connector).strip()
                        + "' already exists in this organization");
            commit(change);
            byId.put(id, connector);
            publish();
            return connector;
        });
    }

    private <T> void delete(Kind<T> kind, Map<String, T> byId, String id) {
        T old = byId.get(id);
        if (old == null) throw new NotFound("no " + kind.word() + " connector " + id);
        directory.withOrganization(kind.organization().apply(old), () -> {
            if (!byId.containsKey(id)) throw new NotFound("no " + kind.word() + " connector " + id);
            commit(c -> ConnectorRows.delete(c, kind.table(), id));
            byId.remove(id);
            publish();
            return null;
        });
    }

    private interface Change {
        void apply(Connection c) throws SQLException;
    }

    /** Commits one change; a unique violation the cache did not foresee (another node) is a Conflict. */
    private void commit(Change change) {
        writer.write(dialect.refusingDuplicates(c -> {
            change.apply(c);
            return null;
        }, Conflict::new));
    }

    private void publish() {
        allInbound = inbound.values().stream().sorted(INBOUND_ORDER).toList();
        allOutbound = outbound.values().stream().sorted(OUTBOUND_ORDER).toList();
    }

    private static <T> int countOf(String organizationId, Kind<T> kind, Map<String, T> byId) {
        return (int) byId.values().stream().filter(c -> kind.organization().apply(c).equals(organizationId)).count();
    }
}

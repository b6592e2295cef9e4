package sluice.admin.testing;

import sluice.core.connector.Connectors;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.OutboundConnector;
import sluice.core.org.Directory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** {@link Connectors} in maps, with the store's rules: fresh ids, names unique per organization and direction. */
public final class InMemoryConnectors implements Connectors {

    private final Map<String, InboundConnector> inbound = new LinkedHashMap<>();
    private final Map<String, OutboundConnector> outbound = new LinkedHashMap<>();

    /** Runs before {@link #allInbound} reads, outside the lock: a test can hold requests there to interleave them. */
    public volatile Runnable beforeAllInbound = () -> { };

    @Override public List<InboundConnector> allInbound() {
        beforeAllInbound.run();
        synchronized (this) {
            return List.copyOf(inbound.values());
        }
    }
    @Override public synchronized List<OutboundConnector> allOutbound() { return List.copyOf(outbound.values()); }
    @Override public synchronized Optional<InboundConnector> inboundConnector(String id) { return Optional.ofNullable(inbound.get(id)); }
    @Override public synchronized Optional<OutboundConnector> outboundConnector(String id) { return Optional.ofNullable(outbound.get(id)); }

    @Override
    public synchronized List<InboundConnector> inbound(String organizationId) {
        return inbound.values().stream().filter(c -> c.organizationId().equals(organizationId)).toList();
    }

    @Override
    public synchronized List<OutboundConnector> outbound(String organizationId) {
        return outbound.values().stream().filter(c -> c.organizationId().equals(organizationId)).toList();
    }

    @Override
    public synchronized InboundConnector createInbound(InboundConnector c) {
        InboundConnector i = new InboundConnector(UUID.randomUUID().toString(), c.organizationId(), c.name(), c.type(), c.enabled(),
                c.comment(), c.senderIpAddresses(), c.tlsSenderCertificateName(), c.senderDomains(), c.requireTls(),
                c.restrictDomainsToIpAddresses(), c.restrictDomainsToCertificate(), c.treatMessagesAsInternal(), c.efSkipIps(),
                c.efSkipLastIp());
        return put(inbound, i.id(), i, InboundConnector::organizationId, InboundConnector::name, false);
    }

    @Override
    public synchronized InboundConnector updateInbound(InboundConnector c) {
        return put(inbound, c.id(), c, InboundConnector::organizationId, InboundConnector::name, true);
    }

    @Override
    public synchronized void deleteInbound(String id) {
        if (inbound.remove(id) == null) throw new Directory.NotFound("no inbound connector " + id);
    }

    @Override
    public synchronized OutboundConnector createOutbound(OutboundConnector c) {
        OutboundConnector o = c.withId(UUID.randomUUID().toString());
        return put(outbound, o.id(), o, OutboundConnector::organizationId, OutboundConnector::name, false);
    }

    @Override
    public synchronized OutboundConnector updateOutbound(OutboundConnector c) {
        return put(outbound, c.id(), c, OutboundConnector::organizationId, OutboundConnector::name, true);
    }

    @Override
    public synchronized void deleteOutbound(String id) {
        if (outbound.remove(id) == null) throw new Directory.NotFound("no outbound connector " + id);
    }

    private static <T> T put(Map<String, T> map, String id, T connector, Function<T, String> organization, Function<T, String> name,
                             boolean update) {
        if (update && !map.containsKey(id)) throw new Directory.NotFound("no connector " + id);
        String key = name.apply(connector).toLowerCase(Locale.ROOT);
        boolean taken = map.entrySet().stream().anyMatch(e -> !e.getKey().equals(id)
                && organization.apply(e.getValue()).equals(organization.apply(connector))
                && name.apply(e.getValue()).toLowerCase(Locale.ROOT).equals(key));
        if (taken) throw new Directory.Conflict("a connector named '" + name.apply(connector) + "' already exists in this organization");
        map.put(id, connector);
        return connector;
    }
}

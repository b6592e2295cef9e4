package sluice.core.testing;

import sluice.core.connector.Connectors;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.OutboundConnector;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Connectors in memory for core's unit tests. */
public final class MemoryConnectors implements Connectors {

    private final Map<String, InboundConnector> inbound = new ConcurrentHashMap<>();
    private final Map<String, OutboundConnector> outbound = new ConcurrentHashMap<>();

    @Override public List<InboundConnector> allInbound() { return List.copyOf(inbound.values()); }
    @Override public List<OutboundConnector> allOutbound() { return List.copyOf(outbound.values()); }

    @Override
    public List<InboundConnector> inbound(String organizationId) {
        return inbound.values().stream().filter(c -> c.organizationId().equals(organizationId)).toList();
    }

    @Override public Optional<InboundConnector> inboundConnector(String id) { return Optional.ofNullable(inbound.get(id)); }

    @Override
    public InboundConnector createInbound(InboundConnector c) {
        InboundConnector stored = new InboundConnector(UUID.randomUUID().toString(), c.organizationId(), c.name(), c.type(),
                c.enabled(), c.comment(), c.senderIpAddresses(), c.tlsSenderCertificateName(), c.senderDomains(),
                c.requireTls(), c.restrictDomainsToIpAddresses(), c.restrictDomainsToCertificate(),
                c.treatMessagesAsInternal(), c.efSkipIps(), c.efSkipLastIp());
        inbound.put(stored.id(), stored);
        return stored;
    }

    @Override public InboundConnector updateInbound(InboundConnector c) { inbound.put(c.id(), c); return c; }
    @Override public void deleteInbound(String id) { inbound.remove(id); }

    @Override
    public List<OutboundConnector> outbound(String organizationId) {
        return outbound.values().stream().filter(c -> c.organizationId().equals(organizationId)).toList();
    }

    @Override public Optional<OutboundConnector> outboundConnector(String id) { return Optional.ofNullable(outbound.get(id)); }

    @Override
    public OutboundConnector createOutbound(OutboundConnector c) {
        OutboundConnector stored = c.withId(UUID.randomUUID().toString());
        outbound.put(stored.id(), stored);
        return stored;
    }

    @Override public OutboundConnector updateOutbound(OutboundConnector c) { outbound.put(c.id(), c); return c; }
    @Override public void deleteOutbound(String id) { outbound.remove(id); }
}

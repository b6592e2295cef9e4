package sluice.core.connector;

import java.util.List;
import java.util.Optional;

/**
 * The inbound and outbound connectors of every organization. {@link #allInbound()} and
 * {@link #allOutbound()} are read on every connection and every routing decision, so implementations
 * answer them from memory. Writes throw {@code Directory.Conflict} for a duplicate name within an
 * organization and {@code Directory.NotFound} for a missing id; the id of an object passed to a
 * create method is ignored.
 */
public interface Connectors {

    List<InboundConnector> allInbound();

    List<OutboundConnector> allOutbound();

    List<InboundConnector> inbound(String organizationId);

    Optional<InboundConnector> inboundConnector(String id);

    InboundConnector createInbound(InboundConnector connector);

    InboundConnector updateInbound(InboundConnector connector);

    void deleteInbound(String id);

    List<OutboundConnector> outbound(String organizationId);

    Optional<OutboundConnector> outboundConnector(String id);

    OutboundConnector createOutbound(OutboundConnector connector);

    OutboundConnector updateOutbound(OutboundConnector connector);

    void deleteOutbound(String id);
}

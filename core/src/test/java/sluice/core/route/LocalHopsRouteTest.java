package sluice.core.route;

import org.junit.jupiter.api.Test;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundSelector;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.mail.QueuedMessage;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A route through a connector carries whether its hops may be the node itself; the node's own routes always may. */
class LocalHopsRouteTest {

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryConnectors connectors = new MemoryConnectors();
    private final Router router = new Router(directory, new OutboundSelector(connectors),
            new StaticRoutes(Map.of("filter.example", List.of("127.0.0.1:10025"))), new Postmaster(Domain.of("mx.test"), null));
    private final String contoso = directory.createOrganization("Contoso", false).id();

    private void connector(String domain, boolean localHopsAllowed) {
        connectors.createOutbound(new OutboundConnector("", contoso, "to " + domain, ConnectorType.PARTNER, true, null,
                List.of(DomainPattern.parse(domain)), false, List.of(HostPort.parse("mail." + domain)), false,
                OutboundConnector.TlsSettings.NONE, null, false, false, null, localHopsAllowed));
    }

    private Route.ToSmartHost route(String recipient) {
        return (Route.ToSmartHost) router.route(Address.parse(recipient), new RoutingContext(contoso, QueuedMessage.Origin.SUBMISSION));
    }

    @Test
    void theConnectorsSettingTravelsWithTheRoute() {
        connector("tenant-set.example", false);
        connector("operator-set.example", true);

        assertThat(route("a@tenant-set.example").localAllowed()).isFalse();
        assertThat(route("a@operator-set.example").localAllowed()).isTrue();
        assertThat(route("a@filter.example").localAllowed()).as("node configuration").isTrue();
    }
}

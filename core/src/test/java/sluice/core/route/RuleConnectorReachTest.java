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
import sluice.core.org.AcceptedDomain;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A mail flow rule's routeUsingConnector routes the rule organization's mail, and no one else's. */
class RuleConnectorReachTest {

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryConnectors connectors = new MemoryConnectors();
    private final Router router = new Router(directory, new OutboundSelector(connectors), StaticRoutes.none(),
            new Postmaster(Domain.of("mx.test"), null));
    private final String contoso = directory.createOrganization("Contoso", false).id();
    private final String fabrikam = directory.createOrganization("Fabrikam", false).id();

    private OutboundConnector connector(String org, String name, ConnectorType type, boolean allAccepted, boolean ruleScoped) {
        return connectors.createOutbound(new OutboundConnector("", org, name, type, true, null, List.<DomainPattern>of(), allAccepted,
                List.of(HostPort.parse("192.0.2.1")), false, OutboundConnector.TlsSettings.NONE, null, ruleScoped, false, null, true));
    }

    private String via(String recipient, RoutingContext context) {
        return switch (router.route(Address.parse(recipient), context)) {
            case Route.ToSmartHost s -> s.connector();
            case Route.ToMx mx -> "MX " + mx.domain().name();
            case Route.ToMailbox m -> "mailbox";
            case Route.Refuse r -> "refused";
        };
    }

    @Test
    void theRulesConnectorTakesExternalAndOwnRecipientsOnly() {
        directory.createAcceptedDomain(contoso, Domain.of("contoso.example"), AcceptedDomain.Type.INTERNAL_RELAY, false);
        directory.createAcceptedDomain(fabrikam, Domain.of("fabrikam.example"), AcceptedDomain.Type.INTERNAL_RELAY, false);
        connector(fabrikam, "fabrikam on-prem", ConnectorType.ON_PREMISES, true, false);
        String ruled = connector(contoso, "contoso rules", ConnectorType.PARTNER, false, true).id();
        RoutingContext context = new RoutingContext(contoso, QueuedMessage.Origin.INTERNET, ruled);

        assertThat(via("partner@outside.example", context)).isEqualTo("contoso rules");
        assertThat(via("bob@contoso.example", context)).isEqualTo("contoso rules");
        assertThat(via("carol@fabrikam.example", context)).as("another organization's InternalRelay domain").isEqualTo("fabrikam on-prem");
        assertThat(via("postmaster@mx.test", context)).as("this host's postmaster").isEqualTo("MX mx.test");
    }
}

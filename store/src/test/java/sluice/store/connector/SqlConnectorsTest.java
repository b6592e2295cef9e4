package sluice.store.connector;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.IpRange;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundConnector.HostReport;
import sluice.core.connector.OutboundConnector.TlsSettings;
import sluice.core.connector.OutboundConnector.Validation;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.org.Directory.Conflict;
import sluice.core.org.Directory.NotFound;
import sluice.core.org.Organization;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlConnectorsTest {
    @TempDir
    Path dir;
    EmbeddedStore store;
    SqlConnectors connectors;
    Organization contoso, fabrikam;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.system());
        connectors = store.connectors();
        contoso = store.directory().createOrganization("Contoso", false);
        fabrikam = store.directory().createOrganization("Fabrikam", false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
        connectors = store.connectors();
    }

    static InboundConnector onPremisesRelay(Organization org, String name) {
        return new InboundConnector("", org.id(), name, ConnectorType.ON_PREMISES, true, "the Exchange servers\nin Berlin",
                List.of(IpRange.parse("192.0.2.0/24"), IpRange.parse("2001:db8::/32")), "mail.contoso.example",
                List.of(DomainPattern.parse("contoso.example"), DomainPattern.parse("*.contoso.example")), true,
                false, false, true, List.of(IpRange.parse("198.51.100.7")), true);
    }

    static OutboundConnector partner(Organization org, String name) {
        return new OutboundConnector("", org.id(), name, ConnectorType.PARTNER, true, null,
                List.of(DomainPattern.parse("fabrikam.example"), DomainPattern.parse("*.fabrikam.example")), false,
                List.of(HostPort.parse("mail.fabrikam.example:2525"), HostPort.parse("[2001:db8::25]"), HostPort.parse("192.0.2.25")),
                false, TlsSettings.DOMAIN_VALIDATION, Domain.of("fabrikam.example"), false, false, null, false);
    }

    @Test
    void inboundConnectorsRoundTripThroughTheDatabase() {
        InboundConnector created = connectors.createInbound(onPremisesRelay(contoso, "From on-premises"));
        assertThat(created.id()).matches("[0-9a-f-]{36}");

        reopen();

        assertThat(connectors.inboundConnector(created.id())).contains(created);
        assertThat(connectors.allInbound()).containsExactly(created);
        assertThat(connectors.inbound(contoso.id())).containsExactly(created);
        assertThat(connectors.inbound(fabrikam.id())).isEmpty();
    }

    @Test
    void outboundConnectorsAndTheirLastValidationRoundTrip() {
        OutboundConnector created = connectors.createOutbound(partner(contoso, "To Fabrikam"));
        Validation v = new Validation(Instant.ofEpochMilli(1_760_000_000_123L), false, List.of(
                new HostReport("mail.fabrikam.example:2525", true, List.of("connected to mail.fabrikam.example[192.0.2.25]:2525",
                        "EHLO: 250 mail.fabrikam.example"), null),
                new HostReport("[2001:db8::25]", false, List.of("connecting to [2001:db8::25]:25"), "connection refused")));
        OutboundConnector validated = connectors.updateOutbound(created.withValidation(v));

        reopen();

        assertThat(connectors.outboundConnector(created.id())).contains(validated);
        assertThat(connectors.allOutbound()).containsExactly(validated);
        assertThat(connectors.outbound(contoso.id())).containsExactly(validated);
    }

    @Test
    void whetherTheNextHopsMayBeTheNodeItselfIsKept() {
        OutboundConnector tenants = connectors.createOutbound(partner(contoso, "Set by the tenant"));
        OutboundConnector operators = connectors.createOutbound(partner(contoso, "Set by the operator").withLocalHopsAllowed(true));

        reopen();

        assertThat(connectors.outboundConnector(tenants.id()).orElseThrow().localHopsAllowed()).isFalse();
        assertThat(connectors.outboundConnector(operators.id()).orElseThrow().localHopsAllowed()).isTrue();
        connectors.updateOutbound(connectors.outboundConnector(operators.id()).orElseThrow().withLocalHopsAllowed(false));
        reopen();
        assertThat(connectors.outboundConnector(operators.id()).orElseThrow().localHopsAllowed()).isFalse();
    }

    @Test
    void anUpdateReplacesTheConnectorInTheHotPathLists() {
        InboundConnector created = connectors.createInbound(onPremisesRelay(contoso, "From on-premises"));
        InboundConnector disabled = new InboundConnector(created.id(), contoso.id(), "Renamed", ConnectorType.ON_PREMISES, false, null,
                List.of(IpRange.parse("203.0.113.0/24")), null, List.of(), false, false, false, false, List.of(), false);

        connectors.updateInbound(disabled);

        assertThat(connectors.allInbound()).containsExactly(disabled);
        reopen();
        assertThat(connectors.allInbound()).containsExactly(disabled);
    }

    @Test
    void namesAreUniquePerOrganizationAndDirectionRegardlessOfCase() {
        connectors.createInbound(onPremisesRelay(contoso, "Hybrid"));
        OutboundConnector out = connectors.createOutbound(partner(contoso, "Partner"));

        assertThatThrownBy(() -> connectors.createInbound(onPremisesRelay(contoso, " HYBRID ")))
                .isInstanceOf(Conflict.class).hasMessage("an inbound connector named 'HYBRID' already exists in this organization");
        assertThatThrownBy(() -> connectors.updateOutbound(renamed(connectors.createOutbound(partner(contoso, "Other")), "partner")))
                .isInstanceOf(Conflict.class);
        connectors.createInbound(onPremisesRelay(fabrikam, "Hybrid"));
        connectors.createOutbound(partner(contoso, "Hybrid"));
        connectors.updateOutbound(renamed(out, "PARTNER"));

        assertThat(connectors.allInbound()).hasSize(2);
        assertThat(connectors.allOutbound()).extracting(OutboundConnector::name).containsExactlyInAnyOrder("Hybrid", "Other", "PARTNER");
    }

    private static OutboundConnector renamed(OutboundConnector o, String name) {
        return new OutboundConnector(o.id(), o.organizationId(), name, o.type(), o.enabled(), o.comment(), o.recipientDomains(),
                o.allAcceptedDomains(), o.smartHosts(), o.useMxRecord(), o.tlsSettings(), o.tlsDomain(), o.isTransportRuleScoped(),
                o.routeAllMessagesViaOnPremises(), o.lastValidation(), o.localHopsAllowed());
    }

    @Test
    void missingConnectorsAndOrganizationsAreNotFound() {
        OutboundConnector out = connectors.createOutbound(partner(contoso, "Partner"));
        InboundConnector in = connectors.createInbound(onPremisesRelay(contoso, "Hybrid"));

        assertThatThrownBy(() -> connectors.deleteInbound("nope")).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> connectors.deleteOutbound(in.id())).isInstanceOf(NotFound.class);
        OutboundConnector unknown = new OutboundConnector("nope", contoso.id(), "x", out.type(), true, null, out.recipientDomains(),
                false, List.of(), true, TlsSettings.NONE, null, false, false, null, true);
        assertThatThrownBy(() -> connectors.updateOutbound(unknown)).isInstanceOf(NotFound.class);
        Organization ghost = new Organization("ghost", "Ghost", false);
        assertThatThrownBy(() -> connectors.createInbound(onPremisesRelay(ghost, "Hybrid"))).isInstanceOf(NotFound.class);
        assertThat(connectors.allInbound()).containsExactly(in);
    }

    @Test
    void aConnectorCannotMoveToAnotherOrganization() {
        OutboundConnector out = connectors.createOutbound(partner(contoso, "Partner"));

        assertThatThrownBy(() -> connectors.updateOutbound(new OutboundConnector(out.id(), fabrikam.id(), out.name(), out.type(),
                true, null, out.recipientDomains(), false, out.smartHosts(), false, TlsSettings.NONE, null, false, false, null, true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOrganizationWithConnectorsCannotBeDeleted() {
        InboundConnector in = connectors.createInbound(onPremisesRelay(contoso, "Hybrid"));
        OutboundConnector out = connectors.createOutbound(partner(contoso, "Partner"));

        assertThatThrownBy(() -> store.directory().deleteOrganization(contoso.id()))
                .isInstanceOf(Conflict.class).hasMessage("organization " + contoso.id() + " still has 2 connector(s); delete them first");

        connectors.deleteInbound(in.id());
        connectors.deleteOutbound(out.id());
        store.directory().deleteOrganization(contoso.id());
        reopen();
        assertThat(connectors.allInbound()).isEmpty();
        assertThat(connectors.allOutbound()).isEmpty();
        assertThat(store.directory().organization(contoso.id())).isEmpty();
    }
}

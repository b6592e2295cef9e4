package sluice.core.connector;

import org.junit.jupiter.api.Test;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.testing.MemoryConnectors;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** EOP's selection order: exact domain, then all accepted domains, then the most specific wildcard. */
class OutboundSelectorTest {

    private final MemoryConnectors connectors = new MemoryConnectors();
    private final OutboundSelector selector = new OutboundSelector(connectors);

    private OutboundConnector add(String org, String name, ConnectorType type, List<String> domains, boolean all,
                                  boolean enabled, boolean ruleScoped, boolean centralized) {
        return connectors.createOutbound(new OutboundConnector("", org, name, type, enabled, null,
                domains.stream().map(DomainPattern::parse).toList(), all, List.of(HostPort.parse("192.0.2.1")), false,
                OutboundConnector.TlsSettings.NONE, null, ruleScoped, centralized, null, true));
    }

    private String pick(String org, String domain, boolean accepted) {
        return selector.select(org, Domain.of(domain), accepted).map(OutboundConnector::name).orElse("MX");
    }

    @Test
    void exactBeatsAllAcceptedDomainsWhichBeatsWildcardsWhichBeatMx() {
        add("a", "wildcard", ConnectorType.PARTNER, List.of("*.fabrikam.example"), false, true, false, false);
        add("a", "any", ConnectorType.PARTNER, List.of("*"), false, true, false, false);
        add("a", "on-prem", ConnectorType.ON_PREMISES, List.of(), true, true, false, false);
        add("a", "exact", ConnectorType.PARTNER, List.of("mail.fabrikam.example"), false, true, false, false);

        assertThat(pick("a", "mail.fabrikam.example", true)).isEqualTo("exact");
        assertThat(pick("a", "contoso.example", true)).isEqualTo("on-prem");
        assertThat(pick("a", "eu.fabrikam.example", false)).isEqualTo("wildcard");
        assertThat(pick("a", "fabrikam.example", false)).as("*.x does not cover x itself").isEqualTo("any");
        assertThat(pick("a", "elsewhere.example", false)).isEqualTo("any");
    }

    @Test
    void disabledRuleScopedAndOtherOrganizationsConnectorsNeverTakePart() {
        add("a", "off", ConnectorType.PARTNER, List.of("fabrikam.example"), false, false, false, false);
        add("a", "rules only", ConnectorType.PARTNER, List.of("fabrikam.example"), false, true, true, false);
        add("b", "theirs", ConnectorType.PARTNER, List.of("fabrikam.example"), false, true, false, false);
        assertThat(pick("a", "fabrikam.example", false)).isEqualTo("MX");
        assertThat(pick("b", "fabrikam.example", false)).isEqualTo("theirs");
    }

    @Test
    void theCentralizedTransportConnectorIsFoundOnlyWhenEnabled() {
        assertThat(selector.centralized("a")).isEmpty();
        add("a", "via on-prem", ConnectorType.ON_PREMISES, List.of(), true, false, false, true);
        assertThat(selector.centralized("a")).isEmpty();
        add("a", "via on-prem 2", ConnectorType.ON_PREMISES, List.of(), true, true, false, true);
        assertThat(selector.centralized("a")).map(OutboundConnector::name).contains("via on-prem 2");
    }

    @Test
    void aTransportRuleNamesItsConnectorOnlyWithinItsOrganizationAndWhileEnabled() {
        String scoped = add("a", "rules only", ConnectorType.PARTNER, List.of(), false, true, true, false).id();
        String off = add("a", "off", ConnectorType.PARTNER, List.of(), false, false, true, false).id();
        assertThat(selector.forTransportRule("a", scoped)).map(OutboundConnector::name).contains("rules only");
        assertThat(selector.forTransportRule("b", scoped)).as("another organization's connector").isEmpty();
        assertThat(selector.forTransportRule("a", off)).isEmpty();
        assertThat(selector.forTransportRule("a", "gone")).isEmpty();
    }
}

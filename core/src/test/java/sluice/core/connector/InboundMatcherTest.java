package sluice.core.connector;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InboundMatcherTest {

    private static InboundConnector onPremises(String certificateName) {
        return new InboundConnector("1", "contoso", "from on-prem", ConnectorType.ON_PREMISES, true, null, List.of(),
                certificateName, List.of(), true, false, false, true, List.of(), false);
    }

    private static boolean matches(String certificateName, String... presented) throws Exception {
        var peer = new InboundMatcher.Peer(InetAddress.getByName("198.51.100.7"), List.of(presented), true);
        return InboundMatcher.matchesCertificate(onPremises(certificateName), peer);
    }

    @Test
    void aConnectorsInternationalNameMatchesTheALabelsCertificatesCarry() throws Exception {
        assertThat(matches("*.Bücher.example", "mx.xn--bcher-kva.example")).isTrue();
        assertThat(matches("straße.example", "xn--strae-oqa.example")).isTrue();
        assertThat(matches("straße.example", "strasse.example")).as("not IDNA2003").isFalse();
    }

    @Test
    void onlyHostNamesCount() throws Exception {
        assertThat(matches("*.contoso.example", "evil+ou=x.contoso.example")).isFalse();
        assertThat(matches("*.contoso.example", "a.b.contoso.example")).isFalse();
        assertThat(matches("*.contoso.example", "Relay.Contoso.Example")).isTrue();
        assertThat(matches("relay.contoso.example", "relay.contoso.example, cn=x")).isFalse();
    }
}

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

    @Test
    void aWildcardOverAPublicSuffixStandsForNobody() throws Exception {
        assertThat(matches("*.com", "evil.com")).isFalse();
        assertThat(matches("*.co.uk", "evil.co.uk")).isFalse();
        assertThat(matches("*.example", "evil.example")).as("an unknown top-level domain is a public suffix").isFalse();
        assertThat(matches("*.co.uk", "*.co.uk")).as("not by the same text either").isFalse();
        assertThat(matches("*.com", "*.com")).isFalse();
        assertThat(matches("contoso.co.uk", "*.co.uk")).as("a presented wildcard over a public suffix").isFalse();
        assertThat(matches("*.contoso.co.uk", "mail.contoso.co.uk")).isTrue();
    }

    @Test
    void aPresentedWildcardStandsForOneLabelUnderItsBase() throws Exception {
        assertThat(matches("mail.contoso.example", "*.contoso.example")).isTrue();
        assertThat(matches("a.mail.contoso.example", "*.contoso.example")).isFalse();
        assertThat(matches("contoso.example", "*.contoso.example")).isFalse();
        assertThat(matches("*.contoso.example", "*.contoso.example")).as("the same names").isTrue();
        assertThat(matches("*.contoso.example", "*.mail.contoso.example")).as("other names").isFalse();
        assertThat(matches("*.mail.contoso.example", "*.contoso.example")).isFalse();
    }

    @Test
    void anIpAddressIsNoCertificateName() throws Exception {
        assertThat(matches("*.0.2.1", "10.0.2.1")).isFalse();
        assertThat(matches("192.0.2.1", "192.0.2.1")).isFalse();
        assertThat(matches("mail.contoso.example", "mail.contoso.example")).isTrue();
    }

    @Test
    void certificateNamesThatNameNobodyInParticularAreRefused() {
        for (String name : List.of("*.com", "*.co.uk", "*.github.io", "*.example", "192.0.2.1", "*.0.2.1", "[192.0.2.1]",
                "2001:db8::1", "*.*.contoso.example", "mail_1.contoso.example"))
            assertThat(CertificateNames.problem(name)).as(name).isNotNull();
        for (String name : List.of("*.contoso.com", "*.contoso.co.uk", "mail.contoso.com", "*.Bücher.example", "1.contoso.example"))
            assertThat(CertificateNames.problem(name)).as(name).isNull();
    }

    @Test
    void aStoredConnectorWithAWildcardOverAPublicSuffixLoadsButMatchesNothing() throws Exception {
        var stored = new sluice.core.testing.MemoryConnectors();
        stored.createInbound(new InboundConnector("", "contoso", "old", ConnectorType.PARTNER, true, null, List.of(), "*.com",
                List.of(), true, false, false, false, List.of(), false));
        var matcher = new InboundMatcher(stored, sluice.smtp.client.TlsContexts.jdkTrust());
        var peer = new InboundMatcher.Peer(InetAddress.getByName("198.51.100.7"), List.of("evil.com"), true);
        assertThat(matcher.attribute(peer, sluice.core.mail.Domain.of("evil.com"))).isEmpty();
    }
}

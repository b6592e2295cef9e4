package sluice.smtp.client;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import sluice.smtp.testing.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceIdentityTest {

    private static final TestCertificates CA = TestCertificates.newCa("CA");

    @Test
    void wildcardStandsForExactlyOneLeftMostLabel() {
        assertThat(ServiceIdentity.matches("*.example.com", "mx.example.com")).isTrue();
        assertThat(ServiceIdentity.matches("*.example.com", "a.mx.example.com")).isFalse();
        assertThat(ServiceIdentity.matches("*.example.com", "example.com")).isFalse();
        assertThat(ServiceIdentity.matches("*.com", "example.com")).isFalse();
        assertThat(ServiceIdentity.matches("MX.Example.COM.", "mx.example.com")).isTrue();
        assertThat(ServiceIdentity.matches("m*.example.com", "mx.example.com")).isFalse();
    }

    @Test
    void aWildcardOverAPublicSuffixMatchesNothing() {
        var cert = CA.issue("x", "*.co.uk", "*.contoso.co.uk").certificate();
        java.util.function.Predicate<String> suffixes = n -> n.equals("co.uk");
        assertThat(ServiceIdentity.matches(cert, "evil.co.uk", suffixes)).isFalse();
        assertThat(ServiceIdentity.matches(cert, "mail.contoso.co.uk", suffixes)).isTrue();
        assertThat(ServiceIdentity.wildcardBase("*.co.uk", suffixes)).isNull();
        assertThat(ServiceIdentity.wildcardBase("*.com", n -> false)).as("a single label always").isNull();
        assertThat(ServiceIdentity.wildcardBase("*.Contoso.co.uk", suffixes)).isEqualTo("contoso.co.uk");
    }

    @Test
    void anIpAddressIsNoName() {
        var cnIp = CA.issue("192.0.2.1").certificate();
        assertThat(ServiceIdentity.names(cnIp)).isEmpty();
        assertThat(ServiceIdentity.matches(cnIp, "192.0.2.1")).isFalse();
        var sanIp = CA.issue("x", "192.0.2.1", "*.2.1", "*.0.2.1").certificate();
        assertThat(ServiceIdentity.names(sanIp)).isEmpty();
        assertThat(ServiceIdentity.matches(sanIp, "192.0.2.1")).isFalse();
        assertThat(ServiceIdentity.matches(sanIp, "10.0.2.1")).isFalse();
        assertThat(ServiceIdentity.hostName("mail.123")).isNull();
        assertThat(ServiceIdentity.hostName("123.contoso.example")).isEqualTo("123.contoso.example");
        assertThat(ServiceIdentity.hostName("mail.xn--p1ai")).isEqualTo("mail.xn--p1ai");
    }

    @Test
    void subjectAltNamesWinOverCommonName() {
        var withSan = CA.issue("cn.example.com", "san.example.com").certificate();
        assertThat(ServiceIdentity.matches(withSan, "san.example.com")).isTrue();
        assertThat(ServiceIdentity.matches(withSan, "cn.example.com")).isFalse();
        var cnOnly = CA.issue("cn.example.com").certificate();
        assertThat(ServiceIdentity.matches(cnOnly, "cn.example.com")).isTrue();
        assertThat(ServiceIdentity.matches(cnOnly, "CN.Example.com.")).isTrue();
    }

    @Test
    void theCommonNameDoesNotCountWhenTheCertificateHasASubjectAltNameOfAnyType() {
        var ipOnly = CA.issue(new X500Name("CN=mx.example.com"), new GeneralName(GeneralName.iPAddress, "192.0.2.25")).certificate();
        assertThat(ServiceIdentity.names(ipOnly)).isEmpty();
        assertThat(ServiceIdentity.matches(ipOnly, "mx.example.com")).isFalse();
    }

    @Test
    void theCommonNameCountsOnlyAsTheSubjectsOneSingleValuedCn() {
        assertThat(ServiceIdentity.names(CA.issue(new X500Name("O=Contoso, CN=relay.contoso.example")).certificate()))
                .containsExactly("relay.contoso.example");
        for (String subject : new String[]{"CN=relay.contoso.example+OU=x", "CN=evil+OU=x.contoso.example",
                "CN=relay.contoso.example, CN=other.example", "CN=printer7.fabrikam.example\\, CN\\=relay.contoso.example"}) {
            var cert = CA.issue(new X500Name(subject)).certificate();
            assertThat(ServiceIdentity.names(cert)).as(subject).isEmpty();
            assertThat(ServiceIdentity.matches(cert, "relay.contoso.example")).as(subject).isFalse();
        }
    }

    @Test
    void presentedNamesAreAsciiAndNeverMappedToAnotherName() {
        var eszett = CA.issue("straße.example").certificate();
        assertThat(ServiceIdentity.matches(eszett, "strasse.example")).as("IDNA2003 folding").isFalse();
        assertThat(ServiceIdentity.matches(eszett, "xn--strae-oqa.example")).isFalse();
        assertThat(ServiceIdentity.names(eszett)).isEmpty();
        assertThat(ServiceIdentity.matches(CA.issue("ｍａｉｌ．contoso.example").certificate(), "mail.contoso.example"))
                .as("full-width").isFalse();
        assertThat(ServiceIdentity.matches(CA.issue("ma\u00ADil.contoso.example").certificate(), "mail.contoso.example"))
                .as("soft hyphen").isFalse();
        assertThat(ServiceIdentity.matches(CA.issue("\u212Aey.contoso.example").certificate(), "key.contoso.example"))
                .as("Kelvin sign").isFalse();
        assertThat(ServiceIdentity.matches(CA.issue("x", "mail.contoso.example\u0000.evil.example").certificate(),
                "mail.contoso.example")).as("NUL in a SAN").isFalse();
    }

    @Test
    void anInternationalNameMatchesAsItsALabel() {
        var alabel = CA.issue("x", "xn--strae-oqa.example", "*.xn--bcher-kva.example").certificate();
        assertThat(ServiceIdentity.matches(alabel, "xn--strae-oqa.example")).isTrue();
        assertThat(ServiceIdentity.matches(alabel, "XN--STRAE-OQA.EXAMPLE.")).isTrue();
        assertThat(ServiceIdentity.matches(alabel, "mx.xn--bcher-kva.example")).isTrue();
        assertThat(ServiceIdentity.matches(alabel, "straße.example")).as("expected names are A-labels").isFalse();
        assertThat(ServiceIdentity.matches(alabel, "strasse.example")).isFalse();
    }

    @Test
    void onlyLdhNamesAreHostNames() {
        assertThat(ServiceIdentity.hostName("Mx-1.Example.COM.")).isEqualTo("mx-1.example.com");
        assertThat(ServiceIdentity.hostName("*.Example.com")).isEqualTo("*.example.com");
        for (String bad : new String[]{"", ".", "a..b", "-a.example", "a-.example", "a_b.example", "*", "*.", "a.*.example",
                "m*.example", "a b.example", "x".repeat(64) + ".example", "straße.example", "evil+ou=x.contoso.example"})
            assertThat(ServiceIdentity.hostName(bad)).as(bad).isNull();
    }
}

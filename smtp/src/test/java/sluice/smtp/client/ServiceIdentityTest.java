package sluice.smtp.client;

import org.junit.jupiter.api.Test;
import sluice.smtp.testing.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceIdentityTest {

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
    void subjectAltNamesWinOverCommonName() {
        var ca = TestCertificates.newCa("CA");
        var withSan = ca.issue("cn.example.com", "san.example.com").certificate();
        assertThat(ServiceIdentity.matches(withSan, "san.example.com")).isTrue();
        assertThat(ServiceIdentity.matches(withSan, "cn.example.com")).isFalse();
        var cnOnly = ca.issue("cn.example.com").certificate();
        assertThat(ServiceIdentity.matches(cnOnly, "cn.example.com")).isTrue();
    }
}

package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundConnector.HostReport;
import sluice.core.connector.OutboundConnector.TlsSettings;
import sluice.core.connector.OutboundConnector.Validation;
import sluice.core.dns.DnsStub;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;
import sluice.smtp.testing.TestCertificates;

import java.security.KeyStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;

/** "Validate connector" against partners with good, bad and no certificates, and a test message. */
class ConnectorValidatorTest {

    private static final TestCertificates CA = TestCertificates.newCa("Partner CA");
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private DnsStub dns;
    private final List<SmtpSink> sinks = new ArrayList<>();
    private ConnectorValidator validator;

    @BeforeEach
    void start() throws Exception {
        dns = DnsStub.start("127.0.0.1");
        dns.a("mail.partner.test", "127.0.0.51");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.caCertificate());
        validator = new ConnectorValidator(RemoteFixture.resolver(dns), RemoteFixture.options(25).withTrustStore(trust),
                InstantSource.fixed(NOW));
    }

    @AfterEach
    void stop() {
        sinks.forEach(SmtpSink::close);
        dns.close();
    }

    private SmtpSink partner(TestCertificates.Identity id) {
        SmtpSink.Builder b = SmtpSink.on("127.0.0.51").hostname("mail.partner.test");
        SmtpSink sink = (id == null ? b : b.tls(id)).start();
        sinks.add(sink);
        return sink;
    }

    private static OutboundConnector connector(TlsSettings tls, String tlsDomain, String... smartHosts) {
        return new OutboundConnector("c-1", "org-1", "To Partner", ConnectorType.PARTNER, true, null,
                List.of(DomainPattern.parse("partner.test")), false, List.of(smartHosts).stream().map(HostPort::parse).toList(),
                smartHosts.length == 0, tls, tlsDomain == null ? null : Domain.of(tlsDomain), false, false, null, true);
    }

    private Validation validate(OutboundConnector c, String... recipients) {
        return validator.validate(c, List.of(recipients).stream().map(Address::parse).toList(), Domain.of("contoso.test"));
    }

    private static HostReport only(Validation v) {
        assertThat(v.hosts()).hasSize(1);
        return v.hosts().getFirst();
    }

    @Test
    void aValidCertificateForTheTlsDomainPassesDomainValidation() {
        SmtpSink sink = partner(CA.issue("mail.partner.test", "mail.partner.test", "partner.test"));

        Validation v = validate(connector(TlsSettings.DOMAIN_VALIDATION, "partner.test", "mail.partner.test:" + sink.port()));

        assertThat(v.at()).isEqualTo(NOW);
        assertThat(v.succeeded()).isTrue();
        HostReport r = only(v);
        assertThat(r.host()).isEqualTo("mail.partner.test:" + sink.port());
        assertThat(r.error()).isNull();
        assertThat(r.steps().getFirst()).isEqualTo("connecting to mail.partner.test[127.0.0.51]:" + sink.port());
        assertThat(r.steps()).hasSize(5);
        assertThat(r.steps().get(1)).isEqualTo("greeting: 220 mail.partner.test ESMTP sink");
        assertThat(r.steps().get(2)).startsWith("STARTTLS: TLSv1.3 ");
        assertThat(r.steps().get(3)).startsWith("certificate: CN=mail.partner.test, issued by CN=Partner CA, "
                + "names mail.partner.test, partner.test, valid until ").endsWith("; chain trusted and valid for partner.test");
        assertThat(r.steps().get(4)).startsWith("EHLO after STARTTLS: 250, extensions ").contains("PIPELINING");
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void aSelfSignedCertificateFailsCertificateValidationWithTheReason() {
        SmtpSink sink = partner(TestCertificates.selfSigned("mail.partner.test", "mail.partner.test"));

        Validation v = validate(connector(TlsSettings.CERTIFICATE_VALIDATION, null, "mail.partner.test:" + sink.port()));

        assertThat(v.succeeded()).isFalse();
        assertThat(only(v).succeeded()).isFalse();
        assertThat(only(v).error()).startsWith("TLS (CertificateValidation) required by connector To Partner but the certificate of "
                + "mail.partner.test[127.0.0.51]:" + sink.port() + " could not be validated: ")
                .contains("unable to find valid certification path");
    }

    @Test
    void aCertificateForAnotherNameFailsDomainValidation() {
        SmtpSink sink = partner(CA.issue("mail.other.test", "mail.other.test"));

        Validation v = validate(connector(TlsSettings.DOMAIN_VALIDATION, "partner.test", "mail.partner.test:" + sink.port()));

        assertThat(v.succeeded()).isFalse();
        assertThat(only(v).error()).endsWith("is not valid for partner.test (it names mail.other.test)");
    }

    @Test
    void aServerWithoutStarttlsFailsEncryptionOnly() {
        SmtpSink sink = partner(null);

        Validation v = validate(connector(TlsSettings.ENCRYPTION_ONLY, null, "127.0.0.51:" + sink.port()));

        assertThat(only(v).error()).isEqualTo("TLS (EncryptionOnly) required by connector To Partner but [127.0.0.51]:"
                + sink.port() + " did not offer STARTTLS");
        assertThat(v.succeeded()).isFalse();
    }

    @Test
    void theTestMessageIsDeliveredOnceAndEveryHostIsReported() throws Exception {
        SmtpSink good = partner(CA.issue("mail.partner.test", "mail.partner.test"));
        SmtpSink also = partner(CA.issue("mail.partner.test", "mail.partner.test"));

        Validation v = validate(connector(TlsSettings.CERTIFICATE_VALIDATION, null, "mail.partner.test:" + good.port(),
                "127.0.0.1:1", "mail.partner.test:" + also.port()), "bob@partner.test", "carol@partner.test");

        assertThat(v.hosts()).extracting(HostReport::host)
                .containsExactly("mail.partner.test:" + good.port(), "127.0.0.1:1", "mail.partner.test:" + also.port());
        assertThat(v.hosts()).extracting(HostReport::succeeded).containsExactly(true, false, true);
        assertThat(v.succeeded()).isFalse();
        assertThat(v.hosts().get(0).steps().getLast()).startsWith("test message accepted: 250");
        assertThat(v.hosts().get(1).error()).startsWith("[127.0.0.1]:1: connect: cannot connect to ");
        SinkMessage m = good.awaitMessages(1, WAIT).getFirst();
        assertThat(m.mailFrom()).isEqualTo("postmaster@contoso.test");
        assertThat(m.rcptTo()).containsExactly("bob@partner.test", "carol@partner.test");
        assertThat(m.text()).contains("Subject: Sluice connector validation test\r\n").contains("To: bob@partner.test, carol@partner.test\r\n");
        assertThat(m.tlsUsed()).isTrue();
        assertThat(also.messages()).isEmpty();
    }

    @Test
    void anUnresolvableSmartHostAndAMissingMxAreFailedReportsNotExceptions() {
        Validation smart = validate(connector(TlsSettings.NONE, null, "nowhere.partner.test"));
        assertThat(only(smart).error()).isEqualTo("nowhere.partner.test does not exist");

        dns.mx("partner.test", 10, "mail.partner.test");
        Validation mx = validate(connector(TlsSettings.NONE, null));
        assertThat(only(mx).host()).isEqualTo("mail.partner.test");
        assertThat(only(mx).steps().getFirst()).isEqualTo("connecting to mail.partner.test[127.0.0.51]:25");
        assertThat(only(mx).succeeded()).isFalse();
    }
}

package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.dns.DnsStub;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.mail.QueuedMessage;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;
import sluice.smtp.Reply;
import sluice.smtp.testing.SmtpSink;
import sluice.smtp.testing.TestCertificates;

import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.delivered;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/** An outbound connector's tlsSettings against partners with good, bad and no certificates. */
class OutboundTlsPolicyTest {

    private static final TestCertificates CA = TestCertificates.newCa("Partner CA");
    private static final TlsPolicy DOMAIN = new TlsPolicy.DomainValidation(Domain.of("partner.test"));
    private static final TlsPolicy CHAIN = new TlsPolicy.CertificateValidation();
    private static final TlsPolicy ENCRYPT = new TlsPolicy.EncryptionOnly();

    private DnsStub dns;
    private SmtpSink partner;
    private SmtpRemoteDelivery delivery;

    @BeforeEach
    void start() throws Exception {
        dns = DnsStub.start("127.0.0.1");
        dns.a("mail.partner.test", "127.0.0.51");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CA.caCertificate());
        delivery = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25).withTrustStore(trust));
    }

    @AfterEach
    void stop() {
        delivery.close();
        if (partner != null) partner.close();
        dns.close();
    }

    private void partner(TestCertificates.Identity id) {
        partner = SmtpSink.on("127.0.0.51").hostname("mail.partner.test").tls(id).start();
    }

    private Outcome send(TlsPolicy tls) {
        QueuedMessage m = message("alice@sender.test", "Subject: contract\r\n\r\nsigned\r\n");
        var route = new Route.ToSmartHost(List.of(HostPort.parse("mail.partner.test:" + partner.port())), tls, "Partner A", true, true);
        return delivery.deliver(route, m, rcpts(m, "bob@partner.test")).getFirst();
    }

    private String host() {
        return "mail.partner.test[127.0.0.51]:" + partner.port();
    }

    @Test
    void validCertificateForTheTlsDomainDelivers() throws Exception {
        partner(CA.issue("mail.partner.test", "mail.partner.test", "*.partner.test", "partner.test"));
        Outcome.Delivered d = delivered(send(DOMAIN));
        assertThat(d.tls()).startsWith("TLSv1.3/TLS_");
        assertThat(d.detail()).isEqualTo("delivered to " + host() + " over TLSv1.3");
        assertThat(partner.awaitMessages(1, WAIT).getFirst().tlsUsed()).isTrue();
    }

    @Test
    void wildcardCertificateCoversOneLabelOfTheTlsDomain() throws Exception {
        partner(CA.issue("wildcard", "*.partner.test"));
        delivered(send(new TlsPolicy.DomainValidation(Domain.of("mail.partner.test"))));
        Outcome o = send(DOMAIN); // "*.partner.test" does not cover "partner.test" itself (RFC 6125 section 6.4.3)
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.detail()).endsWith("is not valid for partner.test (it names *.partner.test)");
    }

    @Test
    void aWildcardOverAPublicSuffixCoversNoTlsDomain() throws Exception {
        partner(CA.issue("wildcard", "*.co.uk", "*.partner.co.uk"));
        Outcome o = send(new TlsPolicy.DomainValidation(Domain.of("evil.co.uk"))); // co.uk is a public suffix, not one organization's
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.detail()).endsWith("is not valid for evil.co.uk (it names *.co.uk, *.partner.co.uk)");
        assertThat(partner.messages()).isEmpty();
        delivered(send(new TlsPolicy.DomainValidation(Domain.of("mail.partner.co.uk"))));
    }

    @Test
    void selfSignedCertificateFailsValidationAndIsDeferred() {
        partner(TestCertificates.selfSigned("mail.partner.test", "mail.partner.test", "partner.test"));
        Outcome o = send(DOMAIN);
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply()).startsWith("451 4.7.5 TLS (DomainValidation for partner.test) required by connector Partner A but the certificate of "
                + host() + " could not be validated: ");
        assertThat(o.detail()).contains("unable to find valid certification path");
        assertThat(partner.messages()).isEmpty();
    }

    @Test
    void certificateForAnotherNameIsDeferred() {
        partner(CA.issue("mail.other.test", "mail.other.test"));
        Outcome o = send(DOMAIN);
        assertThat(o).isEqualTo(new Outcome.Deferred("451 4.7.5 " + o.detail(),
                "TLS (DomainValidation for partner.test) required by connector Partner A but the certificate of " + host()
                        + " is not valid for partner.test (it names mail.other.test)"));
        assertThat(partner.messages()).isEmpty();
    }

    @Test
    void aCommonNameCountsOnlyInAsciiAndOnlyWithoutSubjectAltNames() throws Exception {
        partner(CA.issue("partner.test")); // a private smart host's certificate without SANs
        delivered(send(DOMAIN));
        partner.close();
        partner(CA.issue("straße.test")); // read with IDNA2003 this was strasse.test, someone else's name
        for (String tlsDomain : List.of("strasse.test", "straße.test")) {
            Outcome o = send(new TlsPolicy.DomainValidation(Domain.of(tlsDomain)));
            assertThat(o).as(tlsDomain).isInstanceOf(Outcome.Deferred.class);
            assertThat(o.detail()).as(tlsDomain).endsWith("(it names nothing)");
        }
        assertThat(partner.messages()).isEmpty();
    }

    @Test
    void certificateForAnotherNamePassesCertificateValidation() throws Exception {
        partner(CA.issue("mail.other.test", "mail.other.test"));
        delivered(send(CHAIN));
        assertThat(partner.awaitMessages(1, WAIT)).hasSize(1);
    }

    @Test
    void expiredCertificateFailsValidationButNotEncryptionOnly() throws Exception {
        partner(CA.issue("mail.partner.test", Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)),
                "mail.partner.test", "partner.test"));
        Outcome o = send(CHAIN);
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply()).startsWith("451 4.7.5 TLS (CertificateValidation) required by connector Partner A but the certificate of "
                + host() + " could not be validated: ");
        assertThat(o.detail()).containsIgnoringCase("NotAfter");
        delivered(send(ENCRYPT));
        assertThat(partner.awaitMessages(1, WAIT).getFirst().tlsUsed()).isTrue();
    }

    @Test
    void partnerWithoutStarttlsIsDeferredNeverDowngraded() {
        partner = SmtpSink.on("127.0.0.51").start();
        Outcome o = send(ENCRYPT);
        assertThat(o).isEqualTo(new Outcome.Deferred(
                "451 4.7.4 TLS (EncryptionOnly) required by connector Partner A but " + host() + " did not offer STARTTLS",
                "TLS (EncryptionOnly) required by connector Partner A but " + host() + " did not offer STARTTLS"));
        assertThat(partner.messages()).isEmpty();
    }

    @Test
    void refusedStarttlsIsDeferredWhenRequired() {
        partner(CA.issue("mail.partner.test", "mail.partner.test"));
        partner.replyToStartTls(Reply.of(454, "4.7.0", "TLS not available"));
        Outcome o = send(ENCRYPT);
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.detail()).isEqualTo("TLS (EncryptionOnly) required by connector Partner A but " + host()
                + " refused STARTTLS: 454 4.7.0 TLS not available");
    }

    @Test
    void opportunisticTlsAcceptsAnyCertificate() throws Exception {
        partner(TestCertificates.selfSigned("whatever"));
        assertThat(delivered(send(TlsPolicy.OPPORTUNISTIC)).tls()).startsWith("TLSv1.3");
    }

    @Test
    void opportunisticTlsFallsBackToPlaintextOnANewConnectionWhenTheHandshakeFails() throws Exception {
        partner(TestCertificates.selfSigned("whatever"));
        partner.dropAt(SmtpSink.Phase.STARTTLS);
        Outcome.Delivered d = delivered(send(TlsPolicy.OPPORTUNISTIC));
        assertThat(d.tls()).isNull();
        assertThat(partner.awaitMessages(1, WAIT).getFirst().tlsUsed()).isFalse();
        assertThat(partner.connections()).isEqualTo(2);
    }

    @Test
    void opportunisticTlsWithoutStarttlsDeliversInPlaintext() throws Exception {
        partner = SmtpSink.on("127.0.0.51").start();
        assertThat(delivered(send(TlsPolicy.OPPORTUNISTIC)).tls()).isNull();
    }

    @Test
    void requiredTlsAppliesToMxDeliveryToo() {
        partner = SmtpSink.on("127.0.0.51").start();
        dns.mx("partner.test", 10, "mail.partner.test");
        try (var mxDelivery = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(partner.port()))) {
            QueuedMessage m = message("alice@sender.test", "x\r\n");
            Outcome o = mxDelivery.deliver(new Route.ToMx(Domain.of("partner.test"), ENCRYPT), m, rcpts(m, "bob@partner.test")).getFirst();
            assertThat(o.detail()).isEqualTo("TLS (EncryptionOnly) required by the route to partner.test but " + host() + " did not offer STARTTLS");
        }
    }
}

package sluice.core.receive;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.InboundMatcher;
import sluice.core.connector.IpRange;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.mail.QueuedMessage;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.org.Organization;
import sluice.core.org.Passwords;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.filter.Pipeline;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineService;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryPolicies;
import sluice.core.testing.MemoryQuarantineStore;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.testing.MemoryTrace;
import sluice.smtp.server.ServerTlsContext;
import sluice.smtp.server.SmtpServer;
import sluice.smtp.server.SmtpServerConfig;
import sluice.smtp.testing.TestCertificates;

import javax.net.ssl.X509TrustManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may send what through which listener: inbound connectors by IP and by trusted certificate,
 * Partner conditions, direct send, client submission, the header firewall and loop refusal, over
 * real sockets from distinct loopback source addresses.
 */
class ConnectorAttributionTest {

    private static final TestCertificates CA = TestCertificates.newCa("Contoso Test CA");
    private static final TestCertificates.Identity SERVER = CA.issue("mx.test", "mx.test");

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryConnectors connectors = new MemoryConnectors();
    private final MemorySpool spool = new MemorySpool();
    private SmtpServer mx;
    private SmtpServer submission;
    private Organization contoso;

    @BeforeEach
    void start() throws Exception {
        contoso = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        directory.createAcceptedDomain(contoso.id(), Domain.of("hybrid.example"), AcceptedDomain.Type.INTERNAL_RELAY, false);
        directory.createMailbox(new Mailbox("", contoso.id(), Address.parse("alice@contoso.example"), List.of(), "Alice",
                Passwords.OWASP.hash("correct horse"), 0));
        connectors.createInbound(inbound("on-prem by IP", ConnectorType.ON_PREMISES, List.of("127.0.0.9/32"), null,
                List.of(), false, false, false));
        connectors.createInbound(inbound("on-prem by certificate", ConnectorType.ON_PREMISES, List.of(),
                "*.onprem.contoso.example", List.of(), false, false, false));
        connectors.createInbound(inbound("fabrikam", ConnectorType.PARTNER, List.of("192.0.2.0/24"), null,
                List.of("fabrikam.example"), true, false, false));
        connectors.createInbound(inbound("tailspin", ConnectorType.PARTNER, List.of("127.0.0.11/32"), null,
                List.of("tailspin.example"), false, true, false));
        connectors.createInbound(new InboundConnector("", contoso.id(), "northwind", ConnectorType.PARTNER, true, null,
                List.of(), "mail.northwind.example", List.of(DomainPattern.parse("northwind.example")), true, false, true,
                false, List.of(), false));
        connectors.createOutbound(new OutboundConnector("", contoso.id(), "to on-prem", ConnectorType.ON_PREMISES, true, null,
                List.of(), true, List.of(HostPort.parse("127.0.0.1:9")), false, OutboundConnector.TlsSettings.NONE, null,
                false, false, null, true));

        X509TrustManager trust = (X509TrustManager) TestCertificates.trustManagers(CA.caCertificate())[0];
        Router router = new Router(directory, new OutboundSelector(connectors), StaticRoutes.none());
        RemoteDelivery accepting = new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 later", "held for the test"));
        MemoryMailboxStore mailboxes = new MemoryMailboxStore();
        MemoryTrace trace = new MemoryTrace();
        QueueRunner queue = new QueueRunner(spool, router, new MailboxDelivery(mailboxes), accepting,
                new DsnBuilder("mx.test", ZoneOffset.UTC), trace, InstantSource.system(), Runnable::run,
                RetrySchedule.DEFAULT, 4, "mx.test");
        Receiver receiver = new Receiver(router, directory, new InboundMatcher(connectors, trust), mailboxes, spool, queue,
                trace, InstantSource.system(), ZoneOffset.UTC, "mx.test", Passwords.OWASP,
                new SubmissionLimits(3, Duration.ofMinutes(1), 3, Duration.ofMinutes(10)),
                new Pipeline(List.of(), new MemoryPolicies()),
                new QuarantineService(new MemoryQuarantineStore(), spool, trace, InstantSource.system(), QuarantinePolicy.DEFAULT, queue::submit),
                new sluice.core.testing.MemoryDkimKeys());
        SmtpServerConfig config = SmtpServerConfig.builder("mx.test")
                .bindAddress(java.net.InetAddress.getByName("0.0.0.0"))
                .sslContext(ServerTlsContext.of(SERVER.keyManagers())).build();
        mx = new SmtpServer(config, receiver.mx()).start();
        submission = new SmtpServer(config.toBuilder().authEnabled(true).requireTlsForAuth(true).requireTls(true).build(),
                receiver.submission()).start();
    }

    private InboundConnector inbound(String name, ConnectorType type, List<String> ips, String certName,
                                     List<String> senderDomains, boolean requireTls, boolean restrictToIps,
                                     boolean treatAsInternal) {
        return new InboundConnector("", contoso.id(), name, type, true, null, ips.stream().map(IpRange::parse).toList(),
                certName, senderDomains.stream().map(DomainPattern::parse).toList(), requireTls, restrictToIps, false,
                treatAsInternal, List.of(), false);
    }

    @AfterEach
    void stop() {
        mx.close();
        submission.close();
    }

    private QueuedMessage lastQueued() {
        return spool.history().getLast();
    }

    @Test
    void anOnPremisesServerKnownByIpMayRelayAndItsMailIsInternal() throws Exception {
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            assertThat(c.send("MAIL FROM:<bob@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).isEqualTo("250 2.1.5 Recipient OK");
            assertThat(c.data("Subject: out\r\nX-Sluice-Note: kept\r\n\r\nhi")).startsWith("250 2.0.0 Ok: queued as");
        }
        QueuedMessage m = lastQueued();
        assertThat(m.origin()).isEqualTo(QueuedMessage.Origin.ON_PREMISES);
        assertThat(m.internal()).isTrue();
        assertThat(m.organizationId()).isEqualTo(contoso.id());
        assertThat(new String(m.content(), StandardCharsets.UTF_8)).contains("X-Sluice-Note: kept");
    }

    @Test
    void anUnknownServerMayNotRelayAndCannotForgeSluiceHeaders() throws Exception {
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            c.send("MAIL FROM:<x@outside.example>");
            assertThat(c.send("RCPT TO:<victim@outside.example>")).isEqualTo("550 5.7.64 TenantAttribution; Relay Access Denied");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("250");
            assertThat(c.data("Subject: in\r\nX-Sluice-Verdict: Internal\r\n\tcontinued\r\nx-sluice-other: 1\r\n\r\nhi")).startsWith("250");
        }
        QueuedMessage m = lastQueued();
        assertThat(m.origin()).isEqualTo(QueuedMessage.Origin.INTERNET);
        assertThat(m.internal()).isFalse();
        String content = new String(m.content(), StandardCharsets.UTF_8);
        assertThat(content).doesNotContainIgnoringCase("x-sluice-verdict").doesNotContainIgnoringCase("x-sluice-other")
                .doesNotContain("continued").contains("Subject: in\r\n");
        assertThat(content).as("only our own report").containsOnlyOnce("X-Sluice-Antispam-Report: CIP:127.0.0.1;");
    }

    @Test
    void aTrustedCertificateWithTheConnectorsNameGrantsRelayASelfSignedOneDoesNot() throws Exception {
        TestCertificates.Identity good = CA.issue("mail.onprem.contoso.example", "mail.onprem.contoso.example");
        try (WireClient c = new WireClient("127.0.0.10", mx.port())) {
            c.startTls(good.sslContext(CA.caCertificate()));
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).isEqualTo("250 2.1.5 Recipient OK");
        }
        TestCertificates.Identity forged = TestCertificates.selfSigned("mail.onprem.contoso.example", "mail.onprem.contoso.example");
        try (WireClient c = new WireClient("127.0.0.10", mx.port())) {
            c.startTls(forged.sslContext(CA.caCertificate()));
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).startsWith("550 5.7.64");
        }
        try (WireClient c = new WireClient("127.0.0.10", mx.port())) {
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).as("no certificate without TLS").startsWith("550 5.7.64");
        }
        try (WireClient c = new WireClient("127.0.0.10", mx.port())) {
            c.startTls(CA.issue("x.mail.onprem.contoso.example", "x.mail.onprem.contoso.example").sslContext(CA.caCertificate()));
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).as("a wildcard stands for one label only").startsWith("550 5.7.64");
        }
    }

    @Test
    void aCertificateWithoutSubjectAltNamesCountsOnlyByItsOneLdhCommonName() throws Exception {
        // a private CA's certificate without SANs: a lone CN that is a host name still names the server
        try (WireClient c = new WireClient("127.0.0.10", mx.port())) {
            c.startTls(CA.issue(new X500Name("O=Contoso, CN=mail.onprem.contoso.example")).sslContext(CA.caCertificate()));
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).isEqualTo("250 2.1.5 Recipient OK");
        }
        // a subject the requester chose, with another attribute beside the CN or a comma in it, names nothing
        for (String subject : List.of("CN=evil+OU=x.onprem.contoso.example", "CN=mail.onprem.contoso.example+OU=x",
                "CN=printer7.fabrikam.example\\, CN\\=mail.onprem.contoso.example",
                "CN=mail.onprem.contoso.example, CN=printer7.fabrikam.example")) {
            try (WireClient c = new WireClient("127.0.0.10", mx.port())) {
                c.startTls(CA.issue(new X500Name(subject)).sslContext(CA.caCertificate()));
                c.send("MAIL FROM:<bob@contoso.example>");
                assertThat(c.send("RCPT TO:<someone@outside.example>")).as(subject).startsWith("550 5.7.64");
            }
        }
        // nor does the CN of a certificate with a SAN of another type
        try (WireClient c = new WireClient("127.0.0.10", mx.port())) {
            c.startTls(CA.issue(new X500Name("CN=mail.onprem.contoso.example"), new GeneralName(GeneralName.iPAddress, "127.0.0.10"))
                    .sslContext(CA.caCertificate()));
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).startsWith("550 5.7.64");
        }
    }

    @Test
    void aPartnerThatRequiresTlsRefusesItsDomainsInPlaintext() throws Exception {
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            assertThat(c.send("MAIL FROM:<ceo@fabrikam.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("530 5.7.0 Must issue a STARTTLS command first");
            c.send("RSET");
            c.startTls(TestCertificates.selfSigned("client").sslContext(CA.caCertificate()));
            assertThat(c.send("MAIL FROM:<ceo@fabrikam.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("250");
        }
    }

    @Test
    void anotherOrganizationsPartnerConnectorDoesNotRefuseMailForThisOne() throws Exception {
        // Contoso's partner rules: tailspin.example only from 127.0.0.11, fabrikam.example only with TLS.
        // Northwind (another organization) receives mail from those domains from anywhere.
        Organization northwind = directory.createOrganization("Northwind", false);
        directory.createAcceptedDomain(northwind.id(), Domain.of("northwind.test"), AcceptedDomain.Type.AUTHORITATIVE, false);
        directory.createMailbox(new Mailbox("", northwind.id(), Address.parse("nina@northwind.test"), List.of(), "Nina", null, 0));
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            assertThat(c.send("MAIL FROM:<a@tailspin.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<nina@northwind.test>")).startsWith("250");
            assertThat(c.data("Subject: not Contoso's business\r\n\r\nhi")).startsWith("250");
            assertThat(c.send("MAIL FROM:<ceo@fabrikam.example>")).as("plaintext").startsWith("250");
            assertThat(c.send("RCPT TO:<nina@northwind.test>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).as("Contoso's own rule still holds for Contoso")
                    .startsWith("530 5.7.0");
        }
    }

    @Test
    void theRecipientsOrganizationsOwnConnectorAttributesTheMailWhenTwoMatch() throws Exception {
        // 127.0.0.9 is Contoso's on-premises server, and a partner of Northwind's too
        Organization northwind = directory.createOrganization("Northwind", false);
        directory.createAcceptedDomain(northwind.id(), Domain.of("northwind.test"), AcceptedDomain.Type.AUTHORITATIVE, false);
        directory.createMailbox(new Mailbox("", northwind.id(), Address.parse("nina@northwind.test"), List.of(), "Nina", null, 0));
        connectors.createInbound(new InboundConnector("", northwind.id(), "contoso as partner", ConnectorType.PARTNER, true, null,
                List.of(IpRange.parse("127.0.0.9/32")), null, List.of(DomainPattern.parse("*")), false, false, false,
                false, List.of(), false));
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            assertThat(c.send("MAIL FROM:<bob@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<nina@northwind.test>")).startsWith("250");
            assertThat(c.data("Subject: to a partner\r\n\r\nhi")).startsWith("250");
        }
        assertThat(lastQueued().organizationId()).isEqualTo(northwind.id());
        assertThat(lastQueued().origin()).as("Northwind's partner connector, not Contoso's on-premises one").isEqualTo(QueuedMessage.Origin.PARTNER);
        assertThat(lastQueued().internal()).isFalse();
    }

    @Test
    void anotherOrganizationsPartnerConnectorNamingTheSameCertificateDoesNotTakeAwayRelay() throws Exception {
        // Contoso's on-premises server (127.0.0.9, by IP) presents mail.gw.example; Northwind names that
        // certificate in a Partner connector, and a certificate match comes before an IP match
        Organization northwind = directory.createOrganization("Northwind", false);
        connectors.createInbound(new InboundConnector("", northwind.id(), "gw as partner", ConnectorType.PARTNER, true, null,
                List.of(), "mail.gw.example", List.of(DomainPattern.parse("*")), false, false, false, false, List.of(), false));
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            c.startTls(CA.issue("mail.gw.example", "mail.gw.example").sslContext(CA.caCertificate()));
            assertThat(c.send("MAIL FROM:<bob@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).as("Contoso's own server still relays")
                    .isEqualTo("250 2.1.5 Recipient OK");
            assertThat(c.data("Subject: out\r\n\r\nhi")).startsWith("250");
        }
        assertThat(lastQueued().organizationId()).isEqualTo(contoso.id());
        assertThat(lastQueued().origin()).isEqualTo(QueuedMessage.Origin.ON_PREMISES);
    }

    @Test
    void aServerKnownByIpAloneRelaysOnlyItsOrganizationsMailOneWithTheCertificateRelaysAny() throws Exception {
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            assertThat(c.send("MAIL FROM:<spam@elsewhere.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).as("not an open relay for the /24's other hosts")
                    .startsWith("550 5.7.64");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).as("the organization's own recipients still").startsWith("250");
            c.send("RSET");
            assertThat(c.send("MAIL FROM:<bob@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).isEqualTo("250 2.1.5 Recipient OK");
            c.send("RSET");
            assertThat(c.send("MAIL FROM:<>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).startsWith("250");
            assertThat(c.data("From: PayPal <service@paypal.example>\r\nSubject: x\r\n\r\nhi"))
                    .as("the null sender proves nothing: a bounce must be the organization's").startsWith("550 5.7.64");
            assertThat(c.send("MAIL FROM:<>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).startsWith("250");
            assertThat(c.data("From: Mail Delivery System <MAILER-DAEMON@contoso.example>\r\nSubject: Undeliverable\r\n\r\nhi"))
                    .as("a bounce from the organization's server").startsWith("250");
        }
        try (WireClient c = new WireClient("127.0.0.10", mx.port())) {
            c.startTls(CA.issue("mail.onprem.contoso.example", "mail.onprem.contoso.example").sslContext(CA.caCertificate()));
            assertThat(c.send("MAIL FROM:<forwarded@elsewhere.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).as("by certificate: forwarded mail too")
                    .isEqualTo("250 2.1.5 Recipient OK");
        }
    }

    @Test
    void aRelayedBounceWithTwoFromFieldsIsNotTheOrganizationsByTheFirst() throws Exception {
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            assertThat(c.send("MAIL FROM:<>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).startsWith("250");
            assertThat(c.data("From: <MAILER-DAEMON@contoso.example>\r\nFrom: PayPal <service@paypal.example>\r\nSubject: x\r\n\r\nhi"))
                    .as("DMARC and readers do not take the first of two From fields for the author").startsWith("550 5.7.64");
        }
    }

    @Test
    void twoOrganizationsServersInOneRangeEachRelayTheirOwnMail() throws Exception {
        // a global administrator put Northwind's on-premises server in the range of Contoso's (127.0.0.9)
        Organization northwind = directory.createOrganization("Northwind", false);
        directory.createAcceptedDomain(northwind.id(), Domain.of("northwind.test"), AcceptedDomain.Type.AUTHORITATIVE, false);
        connectors.createInbound(new InboundConnector("", northwind.id(), "northwind on-prem", ConnectorType.ON_PREMISES, true, null,
                List.of(IpRange.parse("127.0.0.9/32")), null, List.of(), false, false, false, false, List.of(), false));
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            assertThat(c.send("MAIL FROM:<nina@northwind.test>")).startsWith("250");
            assertThat(c.send("RCPT TO:<someone@outside.example>")).as("Contoso's connector matches first, but cannot relay it")
                    .isEqualTo("250 2.1.5 Recipient OK");
            assertThat(c.data("Subject: out\r\n\r\nhi")).startsWith("250");
        }
        assertThat(lastQueued().organizationId()).isEqualTo(northwind.id());
    }

    @Test
    void aPartnerDomainRestrictedToItsIpsIsRefusedFromElsewhere() throws Exception {
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            assertThat(c.send("MAIL FROM:<a@tailspin.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("550 5.7.51 TenantInboundAttribution;");
        }
        try (WireClient c = new WireClient("127.0.0.11", mx.port())) {
            assertThat(c.send("MAIL FROM:<a@tailspin.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("250");
            assertThat(c.data("Subject: partner\r\n\r\nhi")).startsWith("250");
        }
        assertThat(lastQueued().origin()).isEqualTo(QueuedMessage.Origin.PARTNER);
        assertThat(lastQueued().internal()).isFalse();
        // the partner's second site, with a connector of its own: either site's conditions will do
        connectors.createInbound(inbound("tailspin site 2", ConnectorType.PARTNER, List.of("127.0.0.12/32"), null,
                List.of("tailspin.example"), false, true, false));
        try (WireClient c = new WireClient("127.0.0.12", mx.port())) {
            assertThat(c.send("MAIL FROM:<a@tailspin.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("250");
        }
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            assertThat(c.send("MAIL FROM:<a@tailspin.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).as("neither site").startsWith("550 5.7.51");
        }
    }

    @Test
    void aPartnerDomainRestrictedToItsCertificateNeedsThatTrustedCertificate() throws Exception {
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            c.startTls(CA.issue("mail.other.example", "mail.other.example").sslContext(CA.caCertificate()));
            assertThat(c.send("MAIL FROM:<a@northwind.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("550 5.7.51 TenantInboundAttribution;")
                    .contains("certificate");
        }
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            c.startTls(CA.issue("mail.northwind.example", "mail.northwind.example").sslContext(CA.caCertificate()));
            assertThat(c.send("MAIL FROM:<a@northwind.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("250");
        }
    }

    @Test
    void directSendFromTheOrganizationsOwnDomainIsRefusedWhenTheOrganizationSaysSo() throws Exception {
        directory.updateOrganization(new Organization(contoso.id(), contoso.name(), true));
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            c.send("MAIL FROM:<printer@contoso.example>");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("550 5.7.68");
            c.send("RSET");
            c.send("MAIL FROM:<friend@outside.example>");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).startsWith("250");
        }
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            c.send("MAIL FROM:<printer@contoso.example>");
            assertThat(c.send("RCPT TO:<alice@contoso.example>")).as("through its own connector").startsWith("250");
        }
    }

    @Test
    void submissionNeedsTlsThenAuthAndSendsOnlyAsTheMailbox() throws Exception {
        try (WireClient c = new WireClient("127.0.0.1", submission.port())) {
            assertThat(c.authPlain("alice@contoso.example", "correct horse")).startsWith("538 5.7.11");
            assertThat(c.send("MAIL FROM:<alice@contoso.example>")).startsWith("530 5.7.0");
            c.startTls(TestCertificates.selfSigned("printer").sslContext(CA.caCertificate()));
            assertThat(c.send("MAIL FROM:<alice@contoso.example>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(c.authPlain("alice@contoso.example", "wrong")).isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(c.authPlain("ALICE@contoso.example", "correct horse")).isEqualTo("235 2.7.0 Authentication successful");
            assertThat(c.send("MAIL FROM:<bob@contoso.example>")).startsWith("550 5.7.60");
            assertThat(c.send("MAIL FROM:<alice@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<anyone@outside.example>")).startsWith("250");
            assertThat(c.data("From: Bob <bob@contoso.example>\r\nSubject: x\r\n\r\nhi")).startsWith("550 5.7.60");
            assertThat(c.send("MAIL FROM:<alice@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<anyone@outside.example>")).startsWith("250");
            assertThat(c.data("From: Alice <alice@contoso.example>\r\nSubject: x\r\n\r\nhi")).startsWith("250");
        }
        assertThat(lastQueued().origin()).isEqualTo(QueuedMessage.Origin.SUBMISSION);
        assertThat(lastQueued().internal()).isTrue();
    }

    /** A mailbox left under a domain another organization has since taken must not send as that organization. */
    @Test
    void aMailboxLeftInAnotherOrganizationsDomainMayNotSendAsIt() throws Exception {
        Organization fabrikam = directory.createOrganization("Fabrikam", false);
        directory.createAcceptedDomain(fabrikam.id(), Domain.of("fabrikam.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        String stale = "mallory@fabrikam.example"; // Contoso's, as a stale directory may still hold it
        directory.createMailbox(new Mailbox("", contoso.id(), Address.parse(stale), List.of(Address.parse("mallory@contoso.example")),
                "Mallory", Passwords.OWASP.hash("pw"), 0));
        try (WireClient c = new WireClient("127.0.0.1", submission.port())) {
            c.startTls(TestCertificates.selfSigned("printer").sslContext(CA.caCertificate()));
            assertThat(c.authPlain(stale, "pw")).startsWith("235");
            assertThat(c.send("MAIL FROM:<" + stale + ">")).startsWith("550 5.7.60");
            assertThat(c.send("MAIL FROM:<mallory@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<anyone@outside.example>")).startsWith("250");
            assertThat(c.data("From: <" + stale + ">\r\nSubject: x\r\n\r\nhi")).startsWith("550 5.7.60");
        }
    }

    @Test
    void submissionReadsFromAsAMailReaderDoes() throws Exception {
        List<String> forged = List.of(
                "From: ceo@contoso.example (<ME>)",            // the address in a comment is no address
                "From: <ME>, ceo@contoso.example",             // every address counts
                "From : CEO <ceo@contoso.example>",            // blanks before the colon: still From
                "From: CEO",                                   // no address at all
                "From: <ME>, x@" + "\uFDFA".repeat(56) + ".example", // a domain that cannot be read: 451 and a stack trace before
                "From: Me <ME>\r\nFrom: CEO <ceo@contoso.example>",
                "From: <ME>\r\n \r\n , ceo@contoso.example");      // a line of blanks alone still folds (obsolete syntax)
        for (int i = 0; i <= forged.size(); i++) {
            String me = "sender" + i + "@contoso.example"; // one mailbox per message: 3 messages a minute each
            directory.createMailbox(new Mailbox("", contoso.id(), Address.parse(me), List.of(), "S", Passwords.OWASP.hash("pw " + i), 0));
            String from = i < forged.size() ? forged.get(i).replace("ME", me) : "From: \"Smith, Jo\" <" + me + "> (work)";
            try (WireClient c = new WireClient("127.0.0.1", submission.port())) {
                c.startTls(TestCertificates.selfSigned("printer").sslContext(CA.caCertificate()));
                assertThat(c.authPlain(me, "pw " + i)).startsWith("235");
                assertThat(c.send("MAIL FROM:<" + me + ">")).startsWith("250");
                assertThat(c.send("RCPT TO:<anyone@outside.example>")).startsWith("250");
                assertThat(c.data(from + "\r\nSubject: x\r\n\r\nhi")).as(from)
                        .startsWith(i < forged.size() ? "550 5.7.60" : "250");
            }
        }
        try (WireClient c = new WireClient("127.0.0.1", submission.port())) {
            c.startTls(TestCertificates.selfSigned("printer").sslContext(CA.caCertificate()));
            assertThat(c.authPlain("sender0@contoso.example", "pw 0")).startsWith("235");
            assertThat(c.send("MAIL FROM:<sender0@contoso.example>")).startsWith("250");
            assertThat(c.send("RCPT TO:<anyone@outside.example>")).startsWith("250");
            assertThat(c.data("Subject: no From at all\r\n\r\nhi")).startsWith("550 5.6.0 The message has no From field");
        }
    }

    /** A review found the 1001st From field never checked: a colleague's address there went out as the submitter's mail. */
    @Test
    void submissionRefusesMoreFromFieldsThanAreChecked() throws Exception {
        String me = "many@contoso.example";
        directory.createMailbox(new Mailbox("", contoso.id(), Address.parse(me), List.of(), "M", Passwords.OWASP.hash("pw"), 0));
        String read = ("From: <" + me + ">\r\n").repeat(AddressList.MAX_FROM_FIELDS);
        String beyond = ("From: <" + me + ">\r\n").repeat(1000) + "From: CEO <ceo@contoso.example>\r\n";
        try (WireClient c = new WireClient("127.0.0.1", submission.port())) {
            c.startTls(TestCertificates.selfSigned("printer").sslContext(CA.caCertificate()));
            assertThat(c.authPlain(me, "pw")).startsWith("235");
            for (String from : List.of(read, beyond)) {
                assertThat(c.send("MAIL FROM:<" + me + ">")).startsWith("250");
                assertThat(c.send("RCPT TO:<anyone@outside.example>")).startsWith("250");
                assertThat(c.data(from + "Subject: x\r\n\r\nhi")).startsWith(from.equals(read) ? "250" : "550 5.6.0 The message has more than "
                        + AddressList.MAX_FROM_FIELDS + " From fields, more than are checked; RFC 5322 section 3.6 allows one");
            }
        }
    }

    @Test
    void submissionIsRateLimitedPerMailboxAndFailedLoginsAreThrottledPerIp() throws Exception {
        try (WireClient c = new WireClient("127.0.0.12", submission.port())) {
            c.startTls(TestCertificates.selfSigned("printer").sslContext(CA.caCertificate()));
            c.authPlain("alice@contoso.example", "correct horse");
            for (int i = 0; i < 3; i++) {
                assertThat(c.send("MAIL FROM:<alice@contoso.example>")).startsWith("250");
                c.send("RSET");
            }
            assertThat(c.send("MAIL FROM:<alice@contoso.example>")).startsWith("450 4.7.0 Rate limit exceeded");
        }
        try (WireClient c = new WireClient("127.0.0.13", submission.port())) {
            c.startTls(TestCertificates.selfSigned("guesser").sslContext(CA.caCertificate()));
            for (int i = 0; i < 3; i++) assertThat(c.authPlain("alice@contoso.example", "guess" + i)).startsWith("535");
        }
        try (WireClient c = new WireClient("127.0.0.13", submission.port())) {
            c.startTls(TestCertificates.selfSigned("guesser").sslContext(CA.caCertificate()));
            assertThat(c.authPlain("alice@contoso.example", "correct horse")).as("even the right password waits")
                    .startsWith("454 4.7.0");
        }
    }

    @Test
    void mailFromTheOnPremisesServersIsNotSentBackToThem() throws Exception {
        try (WireClient c = new WireClient("127.0.0.9", mx.port())) {
            c.send("MAIL FROM:<bob@contoso.example>");
            assertThat(c.send("RCPT TO:<nobody@hybrid.example>")).startsWith("550 5.4.14");
        }
        try (WireClient c = new WireClient("127.0.0.1", mx.port())) {
            c.send("MAIL FROM:<x@outside.example>");
            assertThat(c.send("RCPT TO:<nobody@hybrid.example>")).as("from the internet it goes on-premises").startsWith("250");
        }
    }
}

package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.mail.OrganizationHeaders;
import sluice.core.mail.QueuedMessage;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;
import sluice.core.dns.DnsStub;
import sluice.smtp.testing.SmtpSink;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.delivered;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/** Sluice's organization-only header fields stay inside the organization. */
class OrganizationHeadersTest {

    private static final String MESSAGE = "X-Sluice-Rules: 6f1c0e3a-rule\r\n"
            + "From: ann@contoso.example\r\n"
            + "x-sluice-folder: Junk\r\n"
            + "X-Sluice-Antispam-Report: CIP:192.0.2.1;SCL:1\r\n"
            + "X-Sluice-Quarantine-Released: by admin@contoso.example at\r\n 2026-11-28T18:00:00Z\r\n"
            + "Subject: hello\r\n"
            + "\r\n"
            + "X-Sluice-Rules: in the body stays\r\n";
    private static final String OUTSIDE = "From: ann@contoso.example\r\n"
            + "X-Sluice-Antispam-Report: CIP:192.0.2.1;SCL:1\r\n"
            + "Subject: hello\r\n"
            + "\r\n"
            + "X-Sluice-Rules: in the body stays\r\n";

    private DnsStub dns;
    private SmtpSink sink;
    private SmtpRemoteDelivery delivery;

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
        sink = SmtpSink.on("127.0.0.62").hostname("mx.partner.test").start();
        dns.mx("partner.test", 10, "mx.partner.test").a("mx.partner.test", "127.0.0.62");
        delivery = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(sink.port()));
    }

    @AfterEach
    void stop() {
        delivery.close();
        sink.close();
        dns.close();
    }

    @Test
    void theyAreRemovedWithTheirFoldedLinesAndNothingElse() {
        byte[] in = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(OrganizationHeaders.removed(in), StandardCharsets.US_ASCII)).isEqualTo(OUTSIDE);
        byte[] plain = OUTSIDE.getBytes(StandardCharsets.US_ASCII);
        assertThat(OrganizationHeaders.removed(plain)).isSameAs(plain);
    }

    @Test
    void mailByMxOrToAPartnerLeavesWithoutThem() throws Exception {
        QueuedMessage m = message("ann@contoso.example", MESSAGE);
        delivered(delivery.deliver(new Route.ToMx(Domain.of("partner.test"), TlsPolicy.OPPORTUNISTIC), m, rcpts(m, "b@partner.test")).getFirst());
        var route = new Route.ToSmartHost(List.of(HostPort.parse("127.0.0.62:" + sink.port())), TlsPolicy.OPPORTUNISTIC, "Partner", true, true);
        delivered(delivery.deliver(route, m, rcpts(m, "c@partner.test")).getFirst());

        assertThat(sink.awaitMessages(2, WAIT)).extracting(got -> got.text()).containsExactly(OUTSIDE, OUTSIDE);
    }

    @Test
    void theOrganizationsOwnServersKeepThem() throws Exception {
        QueuedMessage m = message("ann@contoso.example", MESSAGE);
        var onPremises = new Route.ToSmartHost(List.of(HostPort.parse("127.0.0.62:" + sink.port())), TlsPolicy.OPPORTUNISTIC,
                "To on-premises", true, false);
        delivered(delivery.deliver(onPremises, m, rcpts(m, "d@contoso.example")).getFirst());

        assertThat(sink.awaitMessages(1, WAIT).getFirst().text()).isEqualTo(MESSAGE);
    }
}

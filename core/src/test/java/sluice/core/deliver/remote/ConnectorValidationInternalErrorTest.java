package sluice.core.deliver.remote;

import org.junit.jupiter.api.Test;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundConnector.HostReport;
import sluice.core.connector.OutboundConnector.TlsSettings;
import sluice.core.connector.OutboundConnector.Validation;
import sluice.core.dns.Dns;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;

import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bug inside the node (here: a resolver that throws what it should not) ends the validation with a
 * report, as always. The report is stored and shown to the tenant's administrators, so it says that
 * an internal error happened and where the operator finds it, never the exception's text: that may
 * name files, addresses and state of the node, which are no tenant's business.
 */
class ConnectorValidationInternalErrorTest {

    private static final String INTERNALS = "resolver cache /var/lib/sluice/dns.bin corrupt at 10.1.2.3";

    private final Dns broken = new Dns() {
        @Override public List<Mx> mx(Domain d) { throw new IllegalStateException(INTERNALS); }
        @Override public List<InetAddress> addresses(Domain d) { throw new IllegalStateException(INTERNALS); }
        @Override public List<String> txt(Domain d) { throw new IllegalStateException(INTERNALS); }
    };

    @Test
    void theReportSaysAnInternalErrorHappenedWithoutTheExceptionsText() {
        var validator = new ConnectorValidator(broken, RemoteFixture.options(25), InstantSource.fixed(Instant.EPOCH));
        var connector = new OutboundConnector("c-1", "org-1", "To Partner", ConnectorType.PARTNER, true, null,
                List.of(DomainPattern.parse("partner.test")), false, List.of(HostPort.parse("mail.partner.test")), false,
                TlsSettings.NONE, null, false, false, null, true);

        Validation v = validator.validate(connector, List.of(), null);

        assertThat(v.succeeded()).isFalse();
        HostReport r = v.hosts().getLast();
        assertThat(r.host()).isEqualTo("(validation)");
        assertThat(r.error()).matches("internal error \\(reference [0-9a-f]{8}\\): the validation could not finish; "
                + "the operator of this service finds the details in the node's log under that reference")
                .doesNotContain("IllegalStateException").doesNotContain("dns.bin").doesNotContain("10.1.2.3");
    }
}

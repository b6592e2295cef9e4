package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.Admission;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.RecordingRemoteDelivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipient refused by a remote server: the NDR names that server in Remote-MTA, as a DNS name
 * (RFC 3464 section 2.3.5), not as the "host[address]:port" our traces use; a host known only by its
 * address is written as an address literal.
 */
class RemoteMtaInReportsTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private static String ndr(String remoteHost) {
        RecordingRemoteDelivery remote = new RecordingRemoteDelivery(
                r -> new Outcome.Bounced("550 5.1.1 User unknown", remoteHost + " said: 550 5.1.1 User unknown", remoteHost));
        DeliveryAttempt attempt = new DeliveryAttempt(QueueScenarios.internetOnly(), new MailboxDelivery(new MemoryMailboxStore()),
                remote, new DsnBuilder(QueueScenarios.HOSTNAME, ZoneOffset.UTC), RetrySchedule.DEFAULT, QueueScenarios.HOSTNAME);
        QueuedMessage m = QueueScenarios.message(T0);
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, "carol@remote.example");
        DeliveryAttempt.Result r = attempt.run(m, () -> m, rs, InstantSource.fixed(T0), (route, d) -> d.run(new NodeSlotAtOnce()));
        assertThat(r.generated()).hasSize(1);
        return new String(r.generated().getFirst().message().content(), StandardCharsets.UTF_8);
    }

    @Test
    void theRefusingServerIsNamedByItsHostName() {
        String report = ndr("mx1.remote.example[192.0.2.1]:25");
        assertThat(report).contains("Status: 5.1.1\r\nRemote-MTA: dns; mx1.remote.example\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n");
        assertThat(report).contains("The server mx1.remote.example[192.0.2.1]:25 said: 550 5.1.1 User unknown");
    }

    @Test
    void aServerKnownOnlyByItsAddressIsAnAddressLiteral() {
        assertThat(ndr("[2001:db8::25]:25")).contains("Remote-MTA: dns; [IPv6:2001:db8::25]\r\n");
    }

    /** Admits every transaction at once: these scenarios are about the report, not the slots. */
    private static final class NodeSlotAtOnce implements Admission {
        @Override
        public <R> R admit(Supplier<R> transaction) {
            return transaction.get();
        }
    }
}

package sluice.core.quarantine;

import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemoryQuarantineStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message from the internet, held as spam for two partner recipients, is released a day later and
 * refused by the partner's server: the sender is told about the recipient it asked to hear about and
 * not about the one it sent with NOTIFY=NEVER, with the header only (RET=HDRS), its ENVID and the
 * ORCPT. The released copy is reported on as the original would have been.
 */
class ReleasedCopyBounceTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final RecordingRemoteDelivery partner = new RecordingRemoteDelivery(
            r -> new Outcome.Bounced("550 5.7.1 Message refused", "the partner refused it"));
    private final QueueRunner queue = new QueueRunner(spool,
            new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none()),
            new MailboxDelivery(new MemoryMailboxStore()), partner, new DsnBuilder("mx.sluice.test", ZoneOffset.UTC),
            new MemoryTrace(), clock, Runnable::run, RetrySchedule.DEFAULT, 4, "mx.sluice.test");
    private final Quarantine quarantine = new QuarantineService(new MemoryQuarantineStore(), spool, new MemoryTrace(), clock,
            QuarantinePolicy.DEFAULT, queue::submit);

    @Test
    void theBounceOfAReleasedCopyHonoursNotifyRetEnvidAndOrcpt() {
        byte[] content = "Subject: quarterly report\r\nMessage-ID: <q1@example.net>\r\n\r\nthe secret figures\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        QueuedMessage m = new QueuedMessage(QueueId.next(T0), NetworkMessageId.random(), T0, "bob@example.net", null, "HDRS",
                "env-7", "192.0.2.7", "client.example.net", content, QueuedMessage.Origin.INTERNET, false, null, false);
        List<QueuedRecipient> to = List.of(
                new QueuedRecipient(m.id(), 0, Address.parse("quiet@partner.example"), Set.of("NEVER"), null,
                        QueuedRecipient.State.QUEUED, 0, T0, null, false),
                new QueuedRecipient(m.id(), 1, Address.parse("carol@partner.example"), Set.of("FAILURE"),
                        "rfc822;Carol@Partner.example", QueuedRecipient.State.QUEUED, 0, T0, null, false));
        String held = quarantine.quarantine(m, to, QuarantineReason.SPAM, "SCL 6").id();
        clock.advance(Duration.ofDays(1));

        quarantine.release(held, List.of(), "helpdesk", false).orElseThrow();

        assertThat(partner.recipients()).containsExactly("quiet@partner.example", "carol@partner.example", "bob@example.net");
        List<QueuedMessage> bounces = spool.history().stream().filter(QueuedMessage::isBounce).toList();
        assertThat(bounces).as("one report, for carol only").hasSize(1);
        String ndr = new String(bounces.getFirst().content(), StandardCharsets.UTF_8);
        assertThat(ndr).contains("Final-Recipient: rfc822; carol@partner.example",
                        "Original-Recipient: rfc822;Carol@Partner.example", "Original-Envelope-Id: env-7",
                        "Content-Type: text/rfc822-headers", "Message-ID: <q1@example.net>")
                .doesNotContain("quiet@partner.example").doesNotContain("the secret figures");
    }
}

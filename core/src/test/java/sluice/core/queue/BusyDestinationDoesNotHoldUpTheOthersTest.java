package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A message to a domain whose delivery slots other messages hold (a tarpit keeps them for the whole
 * greeting timeout) and to another domain: the wait for the busy one is bounded, its recipient is
 * deferred with 4.4.5, and the other recipient is delivered in the same attempt, not after the tarpit.
 */
class BusyDestinationDoesNotHoldUpTheOthersTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Route.ToMx TARPIT = new Route.ToMx(Domain.of("tarpit.example"), new TlsPolicy.Opportunistic());

    @Test
    void theBusyDestinationsRecipientIsDeferredAndTheOtherDelivered() throws Exception {
        DeliverySlots slots = new DeliverySlots(4, 1, Duration.ofMillis(300));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = Thread.ofVirtual().start(() -> { // another message's delivery, stuck at the tarpit
            try {
                slots.deliver(TARPIT, () -> {}, () -> false, nodeSlot -> {
                    holding.countDown();
                    release.await();
                    return null;
                });
            } catch (Exception ignored) {
                // the test failed already
            }
        });
        try {
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
            RecordingRemoteDelivery remote = new RecordingRemoteDelivery(QueueScenarios::accepted);
            DeliveryAttempt attempt = new DeliveryAttempt(QueueScenarios.internetOnly(),
                    new MailboxDelivery(new MemoryMailboxStore()), remote,
                    new DsnBuilder(QueueScenarios.HOSTNAME, ZoneOffset.UTC), RetrySchedule.DEFAULT, QueueScenarios.HOSTNAME);
            QueuedMessage m = QueueScenarios.message(T0);
            List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, "first@tarpit.example", "bob@other.example");

            DeliveryAttempt.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> attempt.run(m, () -> m, rs,
                    InstantSource.fixed(T0), (route, delivery) -> slots.deliver(route, () -> {}, () -> false, delivery)));

            assertThat(r.interrupted()).isFalse();
            assertThat(r.updates()).extracting(u -> u.address().toString(), QueuedRecipient::state, QueuedRecipient::lastReply)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("first@tarpit.example", QueuedRecipient.State.QUEUED,
                                    null), // not tried: no reply of its own, and our 4.4.5 is not one
                            org.assertj.core.groups.Tuple.tuple("bob@other.example", QueuedRecipient.State.DELIVERED, "250 2.0.0 ok"));
            assertThat(r.events()).anySatisfy(e -> assertThat(e.remoteReply())
                    .isEqualTo("451 4.4.5 Too many deliveries to tarpit.example already; will retry"));
            assertThat(r.events()).anySatisfy(e -> assertThat(e.detail())
                    .startsWith("no delivery slot of tarpit.example came free within PT0.3S (other messages hold all 1)"));
        } finally {
            release.countDown();
            other.join();
        }
    }
}

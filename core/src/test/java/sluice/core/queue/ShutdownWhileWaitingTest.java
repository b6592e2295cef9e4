package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueuedRecipient.State;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message to a hosted mailbox and to a busy destination: the mailbox gets it at once, the busy
 * destination's recipient waits for a slot. If the node stops (or the attempt is interrupted)
 * meanwhile, the mailbox delivery is recorded and the waiting recipient stays as it was, due again:
 * no second copy in the mailbox at the next attempt, and no message left unscheduled.
 */
class ShutdownWhileWaitingTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryMailboxStore mailboxes = new MemoryMailboxStore();
    private final CountDownLatch open = new CountDownLatch(1);
    private final QueueScenarios.ThreadPerTask executor = new QueueScenarios.ThreadPerTask();
    private final RecordingRemoteDelivery remote = QueueScenarios.acceptingOnceOpen(open, () -> {});
    private QueueRunner runner;
    private Mailbox alice;

    @BeforeEach
    void setUp() throws InterruptedException {
        var org = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(org.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        alice = directory.createMailbox(new Mailbox("x", org.id(), Address.parse("alice@contoso.example"), List.of(),
                "Alice", null, 0));
        Router router = new Router(directory, new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = QueueScenarios.oneAtATimePerDestination(spool, router, new MailboxDelivery(mailboxes), remote, clock, executor);
        submit("first@busy.example");
        executor.awaitParked(0); // holds busy.example's one slot until the test opens it
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        open.countDown();
        executor.joinAll();
    }

    private QueuedMessage submit(String... rcpts) {
        QueuedMessage m = QueueScenarios.message(T0);
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, rcpts);
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m;
    }

    private int inAlicesInbox() {
        return mailboxes.list(alice.id(), MailboxStore.Folder.INBOX).size();
    }

    @Test
    void stoppingWhileARecipientWaitsRecordsTheMailboxDeliveryAndAdmitsNothingMore() throws InterruptedException {
        QueuedMessage m = submit("alice@contoso.example", "dave@busy.example");
        Thread attempt = executor.awaitParked(1);
        assertThat(inAlicesInbox()).isEqualTo(1);

        Thread closing = Thread.ofVirtual().start(runner::close); // waits for the delivery in progress
        assertThat(attempt.join(java.time.Duration.ofSeconds(5))).as("the waiting attempt ends").isTrue();
        List<QueuedRecipient> after = spool.recipients(m.id());
        assertThat(after.get(0).state()).as("alice's delivery is recorded").isEqualTo(State.DELIVERED);
        assertThat(after.get(1)).as("dave as he was: never attempted")
                .isEqualTo(QueueScenarios.recipients(m, T0, "alice@contoso.example", "dave@busy.example").get(1));

        open.countDown();
        assertThat(closing.join(java.time.Duration.ofSeconds(5))).as("close returns once the delivery in progress ends").isTrue();
        executor.joinAll();
        assertThat(remote.recipients()).as("nothing admitted after closing").containsExactly("first@busy.example");
        assertThat(runner.inFlightCount()).isZero();
    }

    @Test
    void anInterruptedAttemptRecordsWhatItDeliveredAndStaysScheduled() throws InterruptedException {
        QueuedMessage m = submit("alice@contoso.example", "dave@busy.example");
        Thread attempt = executor.awaitParked(1);

        attempt.interrupt();
        assertThat(attempt.join(java.time.Duration.ofSeconds(5))).isTrue();
        List<QueuedRecipient> after = spool.recipients(m.id());
        assertThat(after.get(0).state()).isEqualTo(State.DELIVERED);
        assertThat(after.get(1).state()).isEqualTo(State.QUEUED);
        assertThat(after.get(1).attempts()).isZero();
        assertThat(runner.scheduledCount()).as("the message is due again").isEqualTo(1);

        open.countDown();
        executor.joinAll();
        runner.runDue();
        executor.joinAll();
        assertThat(spool.message(m.id())).as("dave delivered at the next attempt").isEmpty();
        assertThat(inAlicesInbox()).as("alice got one copy").isEqualTo(1);
        assertThat(remote.recipients()).containsExactly("first@busy.example", "dave@busy.example");
    }
}

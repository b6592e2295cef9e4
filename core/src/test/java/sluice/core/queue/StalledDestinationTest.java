package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.route.Route;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An on-premises server that accepts connections and never greets holds every attempt to it for the
 * greeting timeout. Attempts to it are limited per destination before they take one of the node's
 * delivery slots, so hosted mailboxes, other destinations and reports keep flowing.
 */
class StalledDestinationTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final int NODE_SLOTS = 10;
    private static final int PER_DESTINATION = 2;

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryMailboxStore mailboxes = new MemoryMailboxStore();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final StallingRemote remote = new StallingRemote();
    private QueueRunner runner;
    private Mailbox alice;

    @BeforeEach
    void setUp() {
        var org = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(org.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        alice = directory.createMailbox(new Mailbox("x", org.id(), Address.parse("alice@contoso.example"), List.of(),
                "Alice", null, 0));
        Router router = new Router(directory, new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, router, new MailboxDelivery(mailboxes), remote,
                new DsnBuilder(QueueScenarios.HOSTNAME, ZoneOffset.UTC), new MemoryTrace(), clock, executor,
                RetrySchedule.DEFAULT, NODE_SLOTS, PER_DESTINATION, QueueScenarios.HOSTNAME);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        remote.unstall();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private QueuedMessage submit(String... rcpts) {
        QueuedMessage m = QueueScenarios.message(clock.instant());
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, clock.instant(), rcpts);
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 5 s: " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void aSilentServerHoldsOnlyItsOwnShareOfTheNodesDeliverySlots() throws InterruptedException {
        for (int i = 0; i < 12; i++) submit("user" + i + "@stalled.example");
        await("attempts reach the silent server", () -> remote.waiting("stalled.example") >= PER_DESTINATION);
        Thread.sleep(200); // the other attempts to it queue up meanwhile

        QueuedMessage hosted = submit("alice@contoso.example");
        QueuedMessage elsewhere = submit("carol@fine.example");

        await("the hosted mailbox gets its message", () -> mailboxes.list(alice.id(),
                sluice.core.mailbox.MailboxStore.Folder.INBOX).size() == 1);
        await("another destination gets its message", () -> spool.message(elsewhere.id()).isEmpty());
        assertThat(spool.message(hosted.id())).isEmpty();
        assertThat(remote.maxConcurrent("stalled.example")).as("attempts at once to the silent server")
                .isEqualTo(PER_DESTINATION);

        remote.unstall();
        await("the backlog drains once the server answers", () -> spool.pending().isEmpty());
        assertThat(remote.maxConcurrent("stalled.example")).isEqualTo(PER_DESTINATION);
    }

    @Test
    void messagesWhoseRecipientsSpanBusyDestinationsInOppositeOrdersDoNotDeadlock() throws InterruptedException {
        remote.slow("a.example");
        remote.slow("b.example");
        for (int i = 0; i < 20; i++) {
            if (i % 2 == 0) submit("x" + i + "@a.example", "y" + i + "@b.example", "alice@contoso.example");
            else submit("y" + i + "@b.example", "x" + i + "@a.example", "alice@contoso.example");
        }
        await("every message delivered", () -> spool.pending().isEmpty());
        assertThat(remote.maxConcurrent("a.example")).isLessThanOrEqualTo(PER_DESTINATION);
        assertThat(remote.maxConcurrent("b.example")).isLessThanOrEqualTo(PER_DESTINATION);
        assertThat(mailboxes.list(alice.id(), sluice.core.mailbox.MailboxStore.Folder.INBOX)).hasSize(20);
    }

    /** MX delivery that never returns for stalled.example until unstalled, and takes a moment for slow domains. */
    private static final class StallingRemote implements RemoteDelivery {
        private final CountDownLatch unstalled = new CountDownLatch(1);
        private final Set<String> slow = ConcurrentHashMap.newKeySet();
        private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> max = new ConcurrentHashMap<>();

        void unstall() {
            unstalled.countDown();
        }

        void slow(String domain) {
            slow.add(domain);
        }

        int waiting(String domain) {
            return now.getOrDefault(domain, new AtomicInteger()).get();
        }

        int maxConcurrent(String domain) {
            return max.getOrDefault(domain, new AtomicInteger()).get();
        }

        @Override
        public List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage message, List<QueuedRecipient> recipients) {
            throw new AssertionError("no smart hosts here");
        }

        @Override
        public List<Outcome> deliver(Route.ToMx route, QueuedMessage message, List<QueuedRecipient> recipients) {
            String d = route.domain().name();
            int n = now.computeIfAbsent(d, k -> new AtomicInteger()).incrementAndGet();
            max.computeIfAbsent(d, k -> new AtomicInteger()).accumulateAndGet(n, Math::max);
            try {
                if (d.equals("stalled.example")) unstalled.await();
                else if (slow.contains(d)) Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                now.get(d).decrementAndGet();
            }
            return Collections.nCopies(recipients.size(), new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx." + d, null));
        }
    }
}

package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 5321 section 4.5.3.1.8 obliges a server to take only 100 recipients per transaction; Sluice
 * accepts up to 500. A message to 250 recipients at one domain goes out as transactions of at most
 * 100 recipients, all in the same attempt, so a server at the minimum defers none of them.
 */
class RecipientsPerTransactionTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void twoHundredFiftyRecipientsAtOneDomainGoOutAsThreeTransactionsInOneAttempt() {
        MutableClock clock = new MutableClock(T0);
        MemorySpool spool = new MemorySpool();
        List<List<String>> transactions = new ArrayList<>();
        RemoteDelivery minimal = new RemoteDelivery() {
            @Override
            public List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage message, List<QueuedRecipient> rs) {
                throw new AssertionError("no smart hosts here");
            }

            @Override
            public List<Outcome> deliver(Route.ToMx route, QueuedMessage message, List<QueuedRecipient> rs) {
                transactions.add(rs.stream().map(r -> r.address().toString()).toList());
                // a server at RFC 5321's minimum: 452 for every recipient past the hundredth
                List<Outcome> out = new ArrayList<>();
                for (int i = 0; i < rs.size(); i++) {
                    out.add(i < 100 ? new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.big.example", null)
                            : new Outcome.Deferred("452 4.5.3 Too many recipients", "mx.big.example said 452"));
                }
                return out;
            }
        };
        Router router = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        QueueRunner runner = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), minimal,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), clock, Runnable::run,
                RetrySchedule.DEFAULT, 10, "mx.sluice.test");

        QueueId id = QueueId.next(clock.instant());
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), "bob@example.net", null, null,
                null, "192.0.2.7", "client.example.net", "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII));
        List<QueuedRecipient> rs = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rs.add(new QueuedRecipient(id, i, Address.parse("user" + i + "@big.example"), Set.of(), null,
                    QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false));
        }
        spool.enqueue(m, rs);
        runner.submit(m, rs);

        assertThat(transactions).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(transactions.stream().flatMap(List::stream).toList())
                .as("every recipient once, in order").isEqualTo(rs.stream().map(r -> r.address().toString()).toList());
        assertThat(spool.message(id)).as("all delivered in the one attempt").isEmpty();
    }
}

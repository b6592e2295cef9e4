package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        QueueRunner runner = QueueScenarios.runner(spool, minimal, clock, Runnable::run, 10);

        QueuedMessage m = QueueScenarios.message(T0);
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0,
                java.util.stream.IntStream.range(0, 250).mapToObj(i -> "user" + i + "@big.example").toArray(String[]::new));
        QueueId id = m.id();
        spool.enqueue(m, rs);
        runner.submit(m, rs);

        assertThat(transactions).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(transactions.stream().flatMap(List::stream).toList())
                .as("every recipient once, in order").isEqualTo(rs.stream().map(r -> r.address().toString()).toList());
        assertThat(spool.message(id)).as("all delivered in the one attempt").isEmpty();
    }
}

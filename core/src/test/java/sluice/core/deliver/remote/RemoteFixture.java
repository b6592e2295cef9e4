package sluice.core.deliver.remote;

import sluice.core.deliver.Outcome;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.dns.DnsStub;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.smtp.client.Timeouts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Messages, recipients and options for remote delivery scenarios. */
final class RemoteFixture {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Timeouts FAST = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

    private RemoteFixture() {}

    static QueuedMessage message(String sender, String content) {
        return message(sender, content.getBytes(StandardCharsets.UTF_8));
    }

    static QueuedMessage message(String sender, byte[] content) {
        Instant now = Instant.now();
        return new QueuedMessage(QueueId.next(now), NetworkMessageId.random(), now, sender, null, null, null,
                "192.0.2.1", "client.test", content, QueuedMessage.Origin.INTERNET, false, null, false);
    }

    static List<QueuedRecipient> rcpts(QueuedMessage m, String... addresses) {
        List<QueuedRecipient> out = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++)
            out.add(new QueuedRecipient(m.id(), i, Address.parse(addresses[i]), Set.of(), null,
                    QueuedRecipient.State.QUEUED, 0, m.receivedAt(), null, false));
        return out;
    }

    static RemoteDeliveryOptions options(int mxPort) {
        return RemoteDeliveryOptions.defaults("out.sluice.test").withMxPort(mxPort).withTimeouts(FAST).withMxMayBeThisNode(true);
    }

    static DnsJavaResolver resolver(DnsStub stub) {
        return new DnsJavaResolver(List.of(stub.server()), Duration.ofMillis(300), 0);
    }

    static Outcome.Delivered delivered(Outcome o) {
        if (o instanceof Outcome.Delivered d) return d;
        throw new AssertionError("expected Delivered, got " + o);
    }
}

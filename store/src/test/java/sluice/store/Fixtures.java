package sluice.store;

import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Test data: queued messages whose content is derived from their id, so it can be checked later. */
public final class Fixtures {
    private static final AtomicLong CLOCK = new AtomicLong(1_760_000_000_000L);

    private Fixtures() {
    }

    /** A fresh id with a strictly increasing time part, so ids (and received_at) sort by creation. */
    public static QueueId nextId() {
        return QueueId.next(Instant.ofEpochMilli(CLOCK.incrementAndGet()));
    }

    /** About {@code size} bytes of RFC 5322 text that names its queue id in every line. */
    public static byte[] content(QueueId id, int size) {
        StringBuilder b = new StringBuilder("Subject: test " + id + "\r\n\r\n");
        while (b.length() < size) b.append("line of message ").append(id).append("\r\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static QueuedMessage message(QueueId id, int size) {
        return new QueuedMessage(id, NetworkMessageId.random(), Instant.ofEpochMilli(Long.parseLong(id.value().substring(0, 12), 16)),
                "sender@example.org", "org-1", "HDRS", "env-" + id, "192.0.2.1", "client.example.org", content(id, size));
    }

    public static List<QueuedRecipient> recipients(QueueId id, String... addresses) {
        List<QueuedRecipient> list = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++)
            list.add(new QueuedRecipient(id, i, Address.parse(addresses[i]), Set.of("FAILURE", "DELAY"), "rfc822;" + addresses[i],
                    QueuedRecipient.State.QUEUED, 0, Instant.ofEpochMilli(1_760_000_000_000L), null, false));
        return list;
    }

    /** A side connection to the store's database file, for tests that inspect or damage rows. */
    public static Connection rawConnection(Path dataDirectory) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDirectory.resolve("sluice.db").toAbsolutePath());
    }
}

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
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

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
                "sender@example.org", "org-1", "HDRS", "env-" + id, "192.0.2.1", "client.example.org", content(id, size),
                QueuedMessage.Origin.INTERNET, false, null, false);
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

    /**
     * A message held from ann@partner.example for {@code recipient} as a store before V22 held it: no DSN request, no
     * rule connector, no SMTPUTF8 request; for tests of the migrations that add them. Expires 15 days after {@code at}.
     */
    public static void heldBeforeV22(Connection c, String id, Instant at, String recipient, byte[] content) throws SQLException {
        CRC32C crc = new CRC32C();
        crc.update(content);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO quarantine (id, organization_id, network_id, received_at, "
                + "expires_at, sender, sender_key, reason, details, subject, message_id, size, origin, internal, client_address, "
                + "helo_name, content_crc, content) VALUES (?,'org-1',?,?,?,'ann@partner.example','ann@partner.example','SPAM','',"
                + "'old',NULL,?,'PARTNER',0,'192.0.2.1','mx.partner.example',?,?)")) {
            s.setString(1, id);
            s.setString(2, NetworkMessageId.random().toString());
            s.setLong(3, at.toEpochMilli());
            s.setLong(4, at.plusSeconds(86_400 * 15).toEpochMilli());
            s.setLong(5, content.length);
            s.setLong(6, crc.getValue());
            s.setBytes(7, content);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO quarantine_recipients (quarantine_id, idx, address, "
                + "address_key, released) VALUES (?, 0, ?, ?, 0)")) {
            s.setString(1, id);
            s.setString(2, recipient);
            s.setString(3, recipient.toLowerCase(Locale.ROOT));
            s.executeUpdate();
        }
    }
}

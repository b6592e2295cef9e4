package sluice.core.mail;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The id of one queued copy of a message on this deployment: 12 hex digits of milliseconds then 8
 * random hex digits, so ids sort by arrival and never collide across nodes in practice.
 */
public record QueueId(String value) implements Comparable<QueueId> {
    private static final SecureRandom RANDOM = new SecureRandom();

    public QueueId {
        if (value == null || !value.matches("[0-9A-F]{20}")) throw new IllegalArgumentException("bad queue id: " + value);
    }

    public static QueueId next(Instant now) {
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        return new QueueId(String.format("%012X", now.toEpochMilli()) + HexFormat.of().withUpperCase().formatHex(r));
    }

    @Override
    public int compareTo(QueueId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

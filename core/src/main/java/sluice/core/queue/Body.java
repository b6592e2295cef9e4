package sluice.core.queue;

import sluice.core.mail.QueuedMessage;

import java.util.function.Supplier;

/**
 * A message's body for one attempt: read when a delivery is admitted, let go whenever the attempt
 * must wait for a slot, read again after. So waiting messages hold their envelopes only, and a
 * backlog (say, 50,000 deferred messages due at start-up) never has more bodies in memory than
 * deliveries running. Used by the attempt's one thread only.
 */
final class Body implements Supplier<QueuedMessage> {

    private final Spool spool;
    /** Without content: what waits holds no body. */
    final QueuedMessage envelope;
    /** The content's length, known without reading it. */
    final long size;
    private QueuedMessage full;

    private Body(Spool spool, QueuedMessage envelope, long size, QueuedMessage full) {
        this.spool = spool;
        this.envelope = envelope;
        this.size = size;
        this.full = full;
    }

    /** A message just received, its body still in hand: no need to read it back, until it is let go. */
    static Body received(Spool spool, QueuedMessage m) {
        return new Body(spool, m.withContent(new byte[0]), m.content().length, m);
    }

    /** A message read from the spool as its envelope: the body is read once a delivery is admitted. */
    static Body stored(Spool spool, Spool.Envelope envelope) {
        return new Body(spool, envelope.message(), envelope.size(), null);
    }

    @Override
    public QueuedMessage get() {
        if (full == null) {
            full = spool.message(envelope.id()).orElseThrow(() -> new IllegalStateException(
                    "message " + envelope.id() + " left the spool, or was moved aside as unreadable, during its attempt"));
        }
        return full;
    }

    void drop() {
        full = null;
    }
}

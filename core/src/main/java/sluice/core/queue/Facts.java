package sluice.core.queue;

import sluice.core.mail.QueuedMessage;
import sluice.core.trace.MessageFacts;
import sluice.core.trace.TraceEvent;

import java.time.Instant;
import java.util.function.Supplier;

/** The message's facts for the trace, read from its content when the first event needs them. */
final class Facts {
    private final Supplier<QueuedMessage> full;
    private final QueuedMessage envelope;
    private final long size;
    private MessageFacts facts;

    Facts(Supplier<QueuedMessage> full) {
        this(null, 0, full);
    }

    /** @param envelope the message without content, for {@link #fromEnvelope}; {@code size} its content's length */
    Facts(QueuedMessage envelope, long size, Supplier<QueuedMessage> full) {
        this.full = full;
        this.envelope = envelope;
        this.size = size;
    }

    TraceEvent event(Instant at, TraceEvent.Type type, String organizationId, String recipient, String clientAddress,
                     String tls, String remoteReply, String detail) {
        if (facts == null) {
            QueuedMessage m = full.get();
            facts = MessageFacts.of(m.networkId(), m.id(), m.sender(), m.content());
        }
        return facts.event(at, type, organizationId, recipient, clientAddress, tls, remoteReply, detail);
    }

    /**
     * An event that reads no content: with the facts read already, else with the envelope's, which lack the
     * Message-ID and Subject (the trace's summary keeps those of the message's earlier events). For what happens
     * without the message being touched, as a deferral while the destination is busy.
     */
    TraceEvent fromEnvelope(Instant at, TraceEvent.Type type, String organizationId, String recipient, String remoteReply,
                            String detail) {
        MessageFacts f = facts != null || envelope == null ? null
                : new MessageFacts(envelope.networkId(), envelope.id(), null, envelope.sender(), null, size);
        return f == null ? event(at, type, organizationId, recipient, null, null, remoteReply, detail)
                : f.event(at, type, organizationId, recipient, null, null, remoteReply, detail);
    }
}

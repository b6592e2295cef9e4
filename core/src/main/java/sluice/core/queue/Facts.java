package sluice.core.queue;

import sluice.core.mail.QueuedMessage;
import sluice.core.trace.MessageFacts;
import sluice.core.trace.TraceEvent;

import java.time.Instant;
import java.util.function.Supplier;

/** The message's facts for the trace, read from its content when the first event needs them. */
final class Facts {
    private final Supplier<QueuedMessage> full;
    private MessageFacts facts;

    Facts(Supplier<QueuedMessage> full) {
        this.full = full;
    }

    TraceEvent event(Instant at, TraceEvent.Type type, String organizationId, String recipient, String clientAddress,
                     String tls, String remoteReply, String detail) {
        if (facts == null) {
            QueuedMessage m = full.get();
            facts = MessageFacts.of(m.networkId(), m.id(), m.sender(), m.content());
        }
        return facts.event(at, type, organizationId, recipient, clientAddress, tls, remoteReply, detail);
    }
}

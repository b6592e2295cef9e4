package sluice.admin.testing;

import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.queue.QueueAdmin;
import sluice.core.mail.QueuedRecipient;
import sluice.core.trace.TraceEvent;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Small builders for trace events and queue entries, so tests state only what they are about. */
public final class Samples {

    private Samples() {
    }

    public static TraceEvent event(NetworkMessageId id, TraceEvent.Type type, Instant at, String organizationId,
                                   String sender, String recipient) {
        return new TraceEvent(at, type, id, null, "<" + id + "@mail.example>", organizationId, sender, recipient,
                "Quarterly report", 4096, type == TraceEvent.Type.RECEIVE ? "192.0.2.7" : null,
                "TLSv1.3 TLS_AES_256_GCM_SHA384", type == TraceEvent.Type.DELIVER ? "250 2.0.0 Ok" : null, null);
    }

    public static QueueAdmin.Entry queued(QueueId id, String organizationId, String recipient, Instant next) {
        var r = new QueuedRecipient(id, 0, Address.parse(recipient), Set.of(), null, QueuedRecipient.State.QUEUED, 2,
                next, "451 4.7.0 Try again later", false);
        return new QueueAdmin.Entry(id, NetworkMessageId.random().toString(), organizationId, "sender@outside.example",
                next.minusSeconds(600), 4096, List.of(r));
    }
}

package sluice.core.trace;

import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of the message trace. Per-recipient events name the recipient; message-level events
 * (RECEIVE) name all recipients through one event per recipient, so a trace search by recipient finds
 * every step of that recipient.
 *
 * @param sender        the envelope sender ("" for the null sender)
 * @param recipient     the recipient this event is about
 * @param clientAddress the connecting IP for RECEIVE, the remote server's address for SEND, else null
 * @param tls           TLS protocol and cipher of the hop this event describes, or null
 * @param remoteReply   the reply of the remote server (or local store) for SEND/DELIVER/DEFER/FAIL
 * @param detail        a human-readable explanation (route chosen, reason), never a secret
 * @param subject       the Subject header of the message (for search and display), or null
 * @param messageId     the Message-ID header, or null
 * @param organizationId the organization, or null
 */
public record TraceEvent(Instant at, Type type, NetworkMessageId networkId, QueueId queueId, String messageId,
                         String organizationId, String sender, String recipient, String subject, long size,
                         String clientAddress, String tls, String remoteReply, String detail) {

    public enum Type { RECEIVE, EXPAND, FILTER, DEFER, SEND, DELIVER, FAIL, QUARANTINE, RELEASE, DSN }

    /**
     * How the detail of a FAIL event given in the SMTP dialogue (the message refused after DATA, never
     * queued) begins; the dashboard counts those as rejected rather than failed in delivery.
     */
    public static final String REJECTED = "rejected by protection: ";

    public TraceEvent {
        Objects.requireNonNull(at);
        Objects.requireNonNull(type);
        Objects.requireNonNull(networkId);
    }
}

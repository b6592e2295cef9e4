package sluice.core.mail;


import java.time.Instant;
import java.util.Objects;

/**
 * One queued copy of a message: the envelope sender, the DSN request, where it came from, and the
 * content (as it will be delivered, Received header included).
 *
 * @param sender         the reverse path; empty string for the null sender (bounces)
 * @param organizationId the organization it was attributed to, or null when none (relay)
 * @param dsnRet         "FULL", "HDRS" or null (RFC 3461 RET)
 * @param dsnEnvId       RFC 3461 ENVID or null
 * @param clientAddress  the connecting IP, or null for a message Sluice generated (an NDR)
 */
public record QueuedMessage(QueueId id, NetworkMessageId networkId, Instant receivedAt, String sender,
                            String organizationId, String dsnRet, String dsnEnvId, String clientAddress,
                            String heloName, byte[] content) {
    public QueuedMessage {
        Objects.requireNonNull(id);
        Objects.requireNonNull(networkId);
        Objects.requireNonNull(receivedAt);
        Objects.requireNonNull(sender);
        Objects.requireNonNull(content);
    }

    public boolean isBounce() {
        return sender.isEmpty();
    }
}

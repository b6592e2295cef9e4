package sluice.core.trace;

import sluice.core.mail.Headers;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;

import java.time.Instant;

/** What every trace event of one queued message repeats, read once from the message. */
public record MessageFacts(NetworkMessageId networkId, QueueId queueId, String messageId, String sender,
                           String subject, long size) {

    public static MessageFacts of(NetworkMessageId networkId, QueueId queueId, String sender, byte[] content) {
        return new MessageFacts(networkId, queueId, clip(Headers.first(content, "Message-ID")), sender,
                clip(Headers.first(content, "Subject")), content.length);
    }

    private static String clip(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500);
    }

    public TraceEvent event(Instant at, TraceEvent.Type type, String organizationId, String recipient,
                            String clientAddress, String tls, String remoteReply, String detail) {
        return new TraceEvent(at, type, networkId, queueId, messageId, organizationId, sender, recipient, subject,
                size, clientAddress, tls, remoteReply, detail);
    }
}

package sluice.core.quarantine;

import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueuedMessage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What is known about a held message, without its content.
 *
 * @param id             the quarantine id (20 hex digits, sorts by time like a queue id)
 * @param organizationId the organization, or null when none (only global administrators see it)
 * @param sender         the envelope sender; "" for the null sender
 * @param recipients     the envelope recipients the message was held for
 * @param details        the verdict in words: detections or spam symbols
 * @param subject        the Subject header as received (not decoded), or null
 * @param messageId      the Message-ID header, or null
 * @param origin         with {@code internal}, {@code clientAddress}, {@code heloName} and
 *                       {@code transportRuleConnector}: what a released copy needs to be routed as the
 *                       original would have been
 * @param transportRuleConnector the outbound connector a mail flow rule chose for the message, or null
 * @param dsn            the sender's RFC 3461 request, one entry per recipient: a released copy honours it
 * @param releasedTo     recipients released so far (a release may be repeated, e.g. after a user lost the copy)
 * @param releasedBy     who released last, or null
 * @param releasedAt     when, or null
 * @param smtpUtf8       the client asked for SMTPUTF8 (RFC 6531): a released copy is queued with the request, as the
 *                       original would have been ({@link QueuedMessage#smtpUtf8()})
 */
public record QuarantineEntry(String id, String organizationId, NetworkMessageId networkId, Instant receivedAt,
                              Instant expiresAt, String sender, List<Address> recipients, QuarantineReason reason,
                              String details, String subject, String messageId, long size, QueuedMessage.Origin origin,
                              boolean internal, String clientAddress, String heloName, String transportRuleConnector,
                              DsnRequest dsn, List<Address> releasedTo, String releasedBy, Instant releasedAt,
                              boolean smtpUtf8) {

    public QuarantineEntry {
        if (id == null || !id.matches("[0-9A-F]{20}")) throw new IllegalArgumentException("bad quarantine id: " + id);
        Objects.requireNonNull(networkId);
        Objects.requireNonNull(receivedAt);
        Objects.requireNonNull(expiresAt);
        Objects.requireNonNull(sender);
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("a quarantined message needs a recipient");
        Objects.requireNonNull(reason);
        details = details == null ? "" : details;
        Objects.requireNonNull(origin);
        if (Objects.requireNonNull(dsn).recipients().size() != recipients.size())
            throw new IllegalArgumentException("the DSN request names " + dsn.recipients().size() + " recipients, the entry "
                    + recipients.size());
        releasedTo = List.copyOf(releasedTo);
    }

    /** The same entry, released to {@code to} (in addition to those released before) by {@code by} at {@code at}. */
    public QuarantineEntry released(List<Address> to, String by, Instant at) {
        List<Address> all = new java.util.ArrayList<>(releasedTo);
        to.stream().filter(a -> !all.contains(a)).forEach(all::add);
        return new QuarantineEntry(id, organizationId, networkId, receivedAt, expiresAt, sender, recipients, reason, details,
                subject, messageId, size, origin, internal, clientAddress, heloName, transportRuleConnector, dsn, all, by, at,
                smtpUtf8);
    }

    public boolean isExpired(Instant now) {
        return !expiresAt.isAfter(now);
    }
}

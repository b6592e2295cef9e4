package sluice.core.quarantine;

import sluice.core.mail.Address;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The quarantine as the protection pipeline and administrators use it. The pipeline calls
 * {@link #quarantine} (or {@link #hold} with an entry it built) instead of queuing a message; the
 * admin API searches, previews, releases and deletes; the node purges expired entries periodically.
 */
public interface Quarantine {

    /**
     * Holds {@code message} for {@code recipients} (a subset of its recipients, or all), with a fresh
     * quarantine id and the retention of {@code reason}; records a QUARANTINE trace event per
     * recipient. Returns once the entry is synced.
     */
    QuarantineEntry quarantine(QueuedMessage message, List<Address> recipients, QuarantineReason reason, String details);

    /** Holds a message whose entry the caller built; records QUARANTINE trace events. */
    QuarantineEntry hold(QuarantinedMessage message);

    /** Entries matching the query, newest first (expired ones not yet purged included). */
    List<QuarantineEntry> search(Query query);

    Optional<QuarantineEntry> get(String id);

    Optional<byte[]> content(String id);

    /**
     * Queues a copy of the held message for {@code recipients} (empty: all of its recipients), with
     * a fresh queue id, the same network message id and an {@code X-Sluice-Quarantine-Released}
     * header, and records a RELEASE trace event per recipient. The entry stays until deleted or
     * expired. Empty when there is no such entry.
     *
     * @throws UnknownRecipients when an address is not a recipient of the held message (nothing is released)
     */
    Optional<Released> release(String id, List<Address> recipients, String releasedBy);

    boolean delete(String id);

    /** Removes entries past their retention; returns how many. */
    int purgeExpired(Instant now);

    /**
     * A search. Null fields do not constrain; {@code organizationIds} null means all organizations.
     * Sender and recipient match case-insensitively, exactly or as a pattern with {@code *}.
     */
    record Query(List<String> organizationIds, String sender, String recipient, QuarantineReason reason,
                 Instant from, Instant to, int limit) {
        public Query {
            organizationIds = organizationIds == null ? null : List.copyOf(organizationIds);
        }

        public static Query all(int limit) {
            return new Query(null, null, null, null, null, null, limit);
        }
    }

    /** The copy a release queued. */
    record Released(QueueId queueId, List<Address> recipients) {
        public Released {
            recipients = List.copyOf(recipients);
        }
    }

    /** A release named addresses that were not recipients of the held message. */
    final class UnknownRecipients extends IllegalArgumentException {
        private final List<String> addresses;

        public UnknownRecipients(List<String> addresses) {
            super("not recipients of the quarantined message: " + String.join(", ", addresses));
            this.addresses = List.copyOf(addresses);
        }

        public List<String> addresses() {
            return addresses;
        }
    }
}

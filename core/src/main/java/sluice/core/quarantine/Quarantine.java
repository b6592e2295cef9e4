package sluice.core.quarantine;

import sluice.core.mail.Address;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;

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
     * recipient. The envelope is kept whole (the DSN request of the message and of each recipient,
     * the rule's connector, the origin), so a released copy is queued as the original would have been.
     * Returns once the entry is synced.
     */
    QuarantineEntry quarantine(QueuedMessage message, List<QueuedRecipient> recipients, QuarantineReason reason, String details);

    /** Holds a message whose entry the caller built; records QUARANTINE trace events. */
    QuarantineEntry hold(QuarantinedMessage message);

    /**
     * Entries matching the query, newest first (expired ones not yet purged included): at most
     * {@code query.limit()}, from just after {@code query.after()} when it is set. The order is total
     * (received time, then quarantine id, both descending), so walking the pages by
     * {@link Page#next} returns every entry once, and entries held meanwhile (newer, so before the
     * first page) do not shift the pages still to come.
     */
    Page page(Query query);

    /** The entries of {@link #page}, for callers that want one page only. */
    default List<QuarantineEntry> search(Query query) {
        return page(query).items();
    }

    Optional<QuarantineEntry> get(String id);

    Optional<byte[]> content(String id);

    /**
     * Queues a copy of the held message for {@code recipients} (empty: all of its recipients), with
     * a fresh queue id, the same network message id, the original envelope (DSN parameters of the
     * message and of each recipient released, origin, organization) and an
     * {@code X-Sluice-Quarantine-Released} header, and records a RELEASE trace event per recipient.
     * Recipients it was released to before are skipped unless {@code again} (a second click, or a
     * second helpdesk user, must not deliver it twice; a user who lost the copy may get it again on
     * purpose): nothing is queued when all are. This holds for releases at the same instant too, on
     * one node or on several sharing a store: the store marks each recipient released once.
     * The entry stays until deleted or expired. Empty when there is no such entry.
     *
     * {@code releasedBy} is kept with the entry; {@code shownAs} names the releaser in the header and the trace
     * event, which the organization's users and administrators read (a global administrator's username is
     * not theirs to see).
     *
     * @throws UnknownRecipients when an address is not a recipient of the held message (nothing is released)
     * @throws Expired           when the entry's retention has ended (it awaits the next purge)
     */
    Optional<Released> release(String id, List<Address> recipients, String releasedBy, String shownAs, boolean again);

    /** A release whose releaser is shown by the name kept. */
    default Optional<Released> release(String id, List<Address> recipients, String releasedBy, boolean again) {
        return release(id, recipients, releasedBy, releasedBy, again);
    }

    boolean delete(String id);

    /** Removes entries past their retention; returns how many. */
    int purgeExpired(Instant now);

    /**
     * A search. Null fields do not constrain; {@code organizationIds} null means all organizations.
     * Sender and recipient match case-insensitively, exactly or as a pattern with {@code *}.
     */
    record Query(List<String> organizationIds, String sender, String recipient, QuarantineReason reason,
                 Instant from, Instant to, int limit, Position after) {
        public Query {
            organizationIds = organizationIds == null ? null : List.copyOf(organizationIds);
        }

        /** The first page. */
        public Query(List<String> organizationIds, String sender, String recipient, QuarantineReason reason,
                     Instant from, Instant to, int limit) {
            this(organizationIds, sender, recipient, reason, from, to, limit, null);
        }

        public static Query all(int limit) {
            return new Query(null, null, null, null, null, null, limit);
        }

        /** The same search, from just after {@code position}. */
        public Query startingAfter(Position position) {
            return new Query(organizationIds, sender, recipient, reason, from, to, limit, position);
        }
    }

    /**
     * An entry's whole place in the search order, so a page can start just after it. Only a position:
     * it never widens what a query may see.
     */
    record Position(Instant received, String id) {
        public Position {
            if (received == null || id == null) throw new IllegalArgumentException("a quarantine position needs a time and an id");
        }

        public static Position of(QuarantineEntry entry) {
            return new Position(entry.receivedAt(), entry.id());
        }
    }

    /** One page of a search: its entries, and the position to continue after, or null on the last page. */
    record Page(List<QuarantineEntry> items, Position next) {
        public Page {
            items = List.copyOf(items);
        }
    }

    /**
     * What a release did.
     *
     * @param queueId         the queued copy's id, or null when nothing was queued (all were released before)
     * @param recipients      those the copy was queued for
     * @param alreadyReleased those skipped because they had been released to before
     */
    record Released(QueueId queueId, List<Address> recipients, List<Address> alreadyReleased) {
        public Released {
            recipients = List.copyOf(recipients);
            alreadyReleased = List.copyOf(alreadyReleased);
            if ((queueId == null) != recipients.isEmpty())
                throw new IllegalArgumentException("a queue id goes with the recipients of the copy, and only with them");
        }
    }

    /** A release of an entry whose retention has ended; it is deleted at the next purge. */
    final class Expired extends IllegalStateException {
        private final Instant expiresAt;

        public Expired(String id, Instant expiresAt) {
            super("quarantined message " + id + " expired at " + expiresAt + " and can no longer be released");
            this.expiresAt = expiresAt;
        }

        public Instant expiresAt() {
            return expiresAt;
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

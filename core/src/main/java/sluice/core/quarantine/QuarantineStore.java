package sluice.core.quarantine;

import sluice.core.mail.Address;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where held messages are kept: persistence only; the decisions (expiry, release) are the
 * {@link QuarantineService}'s. Writes return once synced.
 */
public interface QuarantineStore {

    void save(QuarantinedMessage message);

    /** One page of the entries matching the query, as {@link Quarantine#page} describes it. */
    Quarantine.Page page(Quarantine.Query query);

    /** The entries of {@link #page}. */
    default List<QuarantineEntry> search(Quarantine.Query query) {
        return page(query).items();
    }

    Optional<QuarantineEntry> entry(String id);

    Optional<byte[]> content(String id);

    /**
     * Marks {@code recipients} released and records who released them when, in one atomic step. Unless
     * {@code again}, a recipient already marked is left alone and left out of the answer: of two calls
     * for the same recipient, on this node or on another sharing the store, only one gets it (the
     * mark is a conditional update, not a read followed by a write). Returns the recipients this call
     * marked (who released is recorded only when there is one), or empty when there is no such entry.
     */
    Optional<List<Address>> recordRelease(String id, List<Address> recipients, boolean again, String releasedBy, Instant at);

    boolean delete(String id);

    /** Deletes every entry that expired at or before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}

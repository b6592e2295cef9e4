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

    /** Entries matching the query, newest first. */
    List<QuarantineEntry> search(Quarantine.Query query);

    Optional<QuarantineEntry> entry(String id);

    Optional<byte[]> content(String id);

    /** Adds {@code recipients} to the entry's released set and records who released it when. False when gone. */
    boolean recordRelease(String id, List<Address> recipients, String releasedBy, Instant at);

    boolean delete(String id);

    /** Deletes every entry that expired at or before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}

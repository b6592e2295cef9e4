package sluice.core.org;

import sluice.core.mail.Domain;

import java.util.List;
import java.util.Optional;

/**
 * DKIM signing keys per accepted domain. {@link #activeFor} is asked for every outbound message, so
 * implementations answer it from memory. Writes throw {@link Directory.NotFound} for a missing id.
 */
public interface DkimSigningKeys {

    List<DkimSigningKey> keys(String organizationId);

    Optional<DkimSigningKey> key(String id);

    /** The newest enabled key of exactly this domain. */
    Optional<DkimSigningKey> activeFor(Domain domain);

    /** Stores a new key (its id is assigned here). */
    DkimSigningKey create(DkimSigningKey key);

    DkimSigningKey update(DkimSigningKey key);

    void delete(String id);
}

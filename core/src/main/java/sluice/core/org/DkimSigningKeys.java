package sluice.core.org;

import sluice.core.mail.Domain;

import java.util.List;
import java.util.Optional;

/**
 * DKIM signing keys per accepted domain. {@link #activeFor} is asked for every outbound message, so
 * implementations answer it from memory. Writes throw {@link Directory.NotFound} for a missing id.
 *
 * <p>A key belongs to its organization as much as to its domain, and lives only while the domain is
 * an accepted domain of that organization: it is created or enabled only then ({@link Directory.Conflict}
 * otherwise), and the store deletes it with the accepted domain, in the same transaction. A domain
 * can move to another organization; a key left behind by the former owner would sign as the domain
 * wherever its old record stayed published, hold its selectors, and must never decide how the new
 * owner's mail is signed.
 */
public interface DkimSigningKeys {

    List<DkimSigningKey> keys(String organizationId);

    Optional<DkimSigningKey> key(String id);

    /**
     * The organization's newest enabled key of exactly this domain. Keys of other organizations for
     * the same name do not count, however new: they would hide the organization's own key.
     */
    Optional<DkimSigningKey> activeFor(String organizationId, Domain domain);

    /** Stores a new key (its id is assigned here). */
    DkimSigningKey create(DkimSigningKey key);

    /** Changes whether the key is enabled; the rest of a stored key never changes. */
    DkimSigningKey update(DkimSigningKey key);

    /** Deletes the key, or the {@link #unreadable} key, with this id. */
    void delete(String id);

    /**
     * Every stored key that could not be read (rows an older version wrote; few): never used; {@link #delete}
     * removes them.
     */
    default List<UnreadableRow> unreadable() {
        return List.of();
    }
}

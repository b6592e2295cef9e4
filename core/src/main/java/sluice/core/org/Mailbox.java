package sluice.core.org;

import sluice.core.mail.Address;

import java.util.List;
import java.util.Objects;

/**
 * A hosted mailbox.
 *
 * @param passwordHash an encoded KDF hash (never the password), or null when the mailbox cannot log in
 * @param quotaBytes   the storage limit; 0 means unlimited
 */
public record Mailbox(String id, String organizationId, Address address, List<Address> aliases,
                      String displayName, String passwordHash, long quotaBytes) {
    public Mailbox {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(address, "address");
        aliases = List.copyOf(aliases);
        if (quotaBytes < 0) throw new IllegalArgumentException("quota must not be negative");
    }
}

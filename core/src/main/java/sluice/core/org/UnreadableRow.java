package sluice.core.org;

import java.util.Objects;

/**
 * A stored object this version cannot read, such as a DKIM key or a pending domain whose domain name was written
 * before the reading of names was tightened. It is never used (no key signs, no domain is verified by it); it is
 * listed, so its organization's administrator sees it, and deletable by its id, so it does not stay where nobody can
 * reach it.
 *
 * @param storedName the domain name as stored, unread
 * @param reason     why it cannot be read: the words of the check it failed
 */
public record UnreadableRow(String id, String organizationId, String storedName, String reason) {

    public UnreadableRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        if (reason == null || reason.isBlank()) reason = "no reason given";
    }
}

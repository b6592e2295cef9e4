package sluice.core.org;

import java.util.Objects;

/** A tenant. Every accepted domain, mailbox, connector and policy belongs to exactly one. */
public record Organization(String id, String name, boolean rejectDirectSend) {
    public Organization {
        Objects.requireNonNull(id, "id");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an organization needs a name");
    }
}

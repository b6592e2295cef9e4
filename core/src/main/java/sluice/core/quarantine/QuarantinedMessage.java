package sluice.core.quarantine;

import java.util.Objects;

/** A held message: its entry and its content exactly as it would have been delivered. */
public record QuarantinedMessage(QuarantineEntry entry, byte[] content) {

    public QuarantinedMessage {
        Objects.requireNonNull(entry);
        Objects.requireNonNull(content);
        if (entry.size() != content.length)
            throw new IllegalArgumentException("entry size " + entry.size() + " does not match the content (" + content.length + " bytes)");
    }
}

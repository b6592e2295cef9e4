package sluice.core.quarantine;

import java.time.Duration;
import java.util.Objects;

/**
 * How long held messages are kept before they are purged. EOP keeps spam 15 days by default;
 * malware and phish, which nobody should lose track of quickly, 30.
 */
public record QuarantinePolicy(Duration spam, Duration highConfidenceSpam, Duration phish, Duration malware,
                               Duration policy) {

    public static final QuarantinePolicy DEFAULT = new QuarantinePolicy(Duration.ofDays(15), Duration.ofDays(15),
            Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(15));

    public QuarantinePolicy {
        for (Duration d : new Duration[]{spam, highConfidenceSpam, phish, malware, policy})
            if (Objects.requireNonNull(d, "retention").isNegative() || d.isZero())
                throw new IllegalArgumentException("a retention period must be positive");
    }

    public Duration retention(QuarantineReason reason) {
        return switch (reason) {
            case SPAM -> spam;
            case HIGH_CONFIDENCE_SPAM -> highConfidenceSpam;
            case PHISH -> phish;
            case MALWARE -> malware;
            case POLICY -> policy;
        };
    }
}

package sluice.core.filter.spoof.dmarc;

import java.util.Locale;

/** What a domain asks receivers to do with mail that fails DMARC (RFC 7489 section 6.3, p=). */
public enum Disposition {
    NONE, QUARANTINE, REJECT;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Section 6.6.4: a message not selected by pct= gets the next less strict disposition. */
    Disposition relaxed() {
        return switch (this) {
            case REJECT -> QUARANTINE;
            case QUARANTINE, NONE -> NONE;
        };
    }

    static Disposition parse(String value) {
        if (value == null) return null;
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "quarantine" -> QUARANTINE;
            case "reject" -> REJECT;
            default -> null;
        };
    }
}

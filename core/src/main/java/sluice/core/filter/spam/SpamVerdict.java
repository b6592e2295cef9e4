package sluice.core.filter.spam;

import java.util.List;
import java.util.Objects;

/**
 * What the classifier concluded about one message.
 *
 * @param scl         spam confidence level 0–9 (EOP's scale: 0–1 not spam, 5–6 spam, 7–9 high
 *                    confidence spam). -1 ("skipped") is never produced here: the pipeline decides
 *                    when filtering is bypassed.
 * @param probability calibrated probability that the message is spam, in [0, 1]
 * @param symbols     the findings that produced the score, strongest first; never null
 * @param category    EOP-style category: {@code NONE}, {@code SPM} (spam) or {@code HSPM} (high
 *                    confidence spam, SCL ≥ 7)
 */
public record SpamVerdict(int scl, double probability, List<Symbol> symbols, String category) {

    public static final String NONE = "NONE";
    public static final String SPAM = "SPM";
    public static final String HIGH_CONFIDENCE_SPAM = "HSPM";

    public SpamVerdict {
        if (scl < 0 || scl > 9) {
            throw new IllegalArgumentException("SCL must be 0..9, was " + scl);
        }
        if (!(probability >= 0.0 && probability <= 1.0)) {
            throw new IllegalArgumentException("probability must be in [0, 1], was " + probability);
        }
        symbols = List.copyOf(symbols);
        Objects.requireNonNull(category, "category");
    }

    /** The category EOP would report for this SCL. */
    static String categoryFor(int scl) {
        return scl >= 7 ? HIGH_CONFIDENCE_SPAM : scl >= 5 ? SPAM : NONE;
    }

    /** Whether a policy with the default threshold (SCL ≥ 5) treats this message as spam. */
    public boolean isSpam() {
        return scl >= 5;
    }
}

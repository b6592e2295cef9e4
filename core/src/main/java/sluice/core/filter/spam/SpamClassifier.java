package sluice.core.filter.spam;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The built-in spam classifier: raw message bytes in, {@link SpamVerdict} out. Combines the
 * statistical model's chi-square score with the weighted {@link Rule}s (see {@link Calibration});
 * GTUBE always yields SCL 9.
 *
 * <p>Contract: never throws on message content (malformed MIME, binary junk, huge headers: the
 * parser keeps what it can read); time and memory per message are bounded by the parser's caps;
 * the same bytes, model and overlay give the same verdict (the clock only matters for a message
 * without any Received header). Thread-safe: one instance serves all threads.
 */
public final class SpamClassifier {

    private final SpamModel model;
    private final InstantSource clock;

    public SpamClassifier(SpamModel model, InstantSource clock) {
        this.model = Objects.requireNonNull(model, "model");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Classifies against the global model only. */
    public SpamVerdict classify(byte[] message) {
        return classify(message, null);
    }

    /** Classifies against the global model plus an organization's own training (may be null). */
    public SpamVerdict classify(byte[] message, OrgSpamModel overlay) {
        Objects.requireNonNull(message, "message");
        return score(MessageFeatures.of(message, clock.instant()), overlay);
    }

    SpamVerdict score(MessageFeatures features, OrgSpamModel overlay) {
        Calibration c = model.calibration();
        if (features.gtube()) {
            return new SpamVerdict(9, 1.0, List.of(new Symbol(Rule.GTUBE.name(), c.weight(Rule.GTUBE),
                    Rule.GTUBE.description())), SpamVerdict.HIGH_CONFIDENCE_SPAM);
        }
        ChiSquare.Score bayes = ChiSquare.score(features.tokens(), model, overlay);
        double bayesWeight = c.bayesScale() * Calibration.bayesLogit(bayes.probability());
        var symbols = new ArrayList<Symbol>();
        symbols.add(new Symbol("BAYES", bayesWeight,
                String.format(Locale.ROOT, "p=%.4f from %d tokens", bayes.probability(), bayes.clues())));
        double logit = bayesWeight + c.bias();
        if (c.ngramScale() != 0) {
            double ngram = model.ngrams().logit(features.ngrams());
            double ngramWeight = c.ngramScale() * ngram;
            logit += ngramWeight;
            symbols.add(new Symbol("NGRAM", ngramWeight, String.format(Locale.ROOT, "logit %.3f from %d 4-grams",
                    ngram, features.ngrams().length)));
        }
        var hits = new ArrayList<>(features.hits());
        if (bayes.conflicting()) {
            hits.add(conflict(bayes));
        }
        for (RuleHit hit : hits) {
            double w = c.weight(hit.rule());
            logit += w;
            symbols.add(new Symbol(hit.rule().name(), w, hit.detail()));
        }
        double probability = 1.0 / (1.0 + Math.exp(-logit));
        symbols.sort(Comparator.comparingDouble((Symbol s) -> -Math.abs(s.weight())).thenComparing(Symbol::name));
        int scl = c.scl(probability);
        return new SpamVerdict(scl, probability, symbols, SpamVerdict.categoryFor(scl));
    }

    static RuleHit conflict(ChiSquare.Score bayes) {
        return new RuleHit(Rule.BAYES_CONFLICT, String.format(Locale.ROOT, "S=%.3f H=%.3f",
                bayes.spamminess(), bayes.hamminess()));
    }
}

package sluice.core.filter.spam;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything the classifier extracts from one message before consulting a model: the token set,
 * the n-gram buckets ({@link NgramModel}), the rules that fired, and whether GTUBE is present. Training and scoring share this step, so
 * the trainer counts exactly the tokens the classifier will later look up.
 */
record MessageFeatures(Set<String> tokens, int[] ngrams, List<RuleHit> hits, boolean gtube) {

    static MessageFeatures of(byte[] raw, Instant now) {
        ParsedMessage m = MessageParser.parse(raw);
        String text = m.text();
        var hits = new ArrayList<RuleHit>();
        HeaderRules.evaluate(m, now, hits::add);
        ContentRules.evaluate(m, hits::add);
        TraitRules.evaluate(m, hits::add);
        boolean gtube = Gtube.present(raw, text);
        if (gtube) {
            hits.addFirst(new RuleHit(Rule.GTUBE, "GTUBE test string"));
        }
        return new MessageFeatures(Tokenizer.tokenize(m), NgramModel.features(m), List.copyOf(hits), gtube);
    }
}

package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Number-shape tokens and how much a token's counts weigh when one class is much bigger. */
class TokenEvidenceTest {

    @Test
    void wordsWithDigitsAlsoGiveTheirShape() {
        assertThat(Tokenizer.numberShape("$1,000")).isEqualTo("$9,9");
        assertThat(Tokenizer.numberShape("50%")).isEqualTo("9%");
        assertThat(Tokenizer.numberShape("64mb")).isEqualTo("9a");
        assertThat(Tokenizer.numberShape("847.366.4300")).isEqualTo("9.9.9");
        assertThat(Tokenizer.numberShape("hello")).isNull();
        Set<String> tokens = Tokenizer.tokenize(MessageParser.parse(new Mail().body("Only $19.99 today\n").bytes()));
        assertThat(tokens).contains("$19.99", "num:$9.9");
    }

    @Test
    void aFewSightingsInTheBiggerClassAreWeakEvidence() {
        // 100 spam, 500 ham; "hello" seen 4 times in ham only, "offer" 4 times in spam only.
        var table = TokenTable.builder(4).add("hello", 0, 4).add("offer", 4, 0).build();
        var model = new SpamModel(table, 100, 500, Calibration.defaults());
        ChiSquare.Score ham = ChiSquare.score(List.of("hello"), model, null);
        ChiSquare.Score spam = ChiSquare.score(List.of("offer"), model, null);
        // Both are clues, but the ham one (4 of 500) is weaker than the spam one (4 of 100).
        assertThat(ham.probability()).isLessThan(0.5);
        assertThat(spam.probability()).isGreaterThan(0.5);
        assertThat(0.5 - ham.probability()).isLessThan(spam.probability() - 0.5);
    }
}

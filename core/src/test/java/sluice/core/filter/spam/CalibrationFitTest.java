package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CalibrationFitTest {

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    @Test
    void scl5CutoffRespectsTheFloorAndTheHardHamBudgetAndRulesStayNonNegative() {
        var examples = new ArrayList<CalibrationFit.Example>();
        for (int i = 0; i < 400; i++) {
            examples.add(new CalibrationFit.Example(0.999, List.of(), true, false));
            examples.add(new CalibrationFit.Example(0.001, List.of(), false, false));
        }
        // Hard ham: unsure Bayes, and a rule that fires on it far more than on spam.
        for (int i = 0; i < 100; i++) {
            examples.add(new CalibrationFit.Example(0.5, List.of(new RuleHit(Rule.HTML_ONLY, "")), false, true));
        }
        for (int i = 0; i < 10; i++) {
            examples.add(new CalibrationFit.Example(0.5, List.of(new RuleHit(Rule.HTML_ONLY, "")), true, false));
        }
        Calibration c = CalibrationFit.fit(examples);
        double l5 = logit(c.sclCutoffs()[4]);
        assertThat(l5).isGreaterThanOrEqualTo(CalibrationFit.MIN_SPAM_LOGIT - 1e-6);
        assertThat(c.weight(Rule.HTML_ONLY)).isGreaterThanOrEqualTo(0.0);
        long hardAtScl5 = examples.stream().filter(CalibrationFit.Example::hardHam)
                .filter(e -> c.scl(CalibrationFit.probability(c, e)) >= 5).count();
        assertThat(hardAtScl5).isLessThanOrEqualTo(1);
        // A rule that never fires keeps its prior.
        assertThat(c.weight(Rule.MIXED_SCRIPTS)).isCloseTo(Rule.MIXED_SCRIPTS.priorWeight(),
                org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void conflictingTokensCanOnlyArgueForHam() {
        var examples = new ArrayList<CalibrationFit.Example>();
        for (int i = 0; i < 300; i++) {
            examples.add(new CalibrationFit.Example(0.99, List.of(), true, false));
            examples.add(new CalibrationFit.Example(0.01, List.of(), false, false));
            // Conflicting messages that are mostly spam: the fit must not turn the symbol into spam evidence.
            examples.add(new CalibrationFit.Example(0.5, List.of(new RuleHit(Rule.BAYES_CONFLICT, "")), i % 10 != 0,
                    false));
        }
        assertThat(CalibrationFit.fit(examples).weight(Rule.BAYES_CONFLICT)).isLessThanOrEqualTo(0.0);
    }

    @Test
    void ngramScoreIsWeighedAndNeverInverted() {
        var examples = new ArrayList<CalibrationFit.Example>();
        for (int i = 0; i < 300; i++) {
            // Bayes unsure; the n-gram score separates: it must get a clearly positive weight.
            examples.add(new CalibrationFit.Example(0.5, 3.0, List.of(), true, false));
            examples.add(new CalibrationFit.Example(0.5, -3.0, List.of(), false, false));
        }
        assertThat(CalibrationFit.fit(examples).ngramScale()).isGreaterThan(0.5);

        var inverted = new ArrayList<CalibrationFit.Example>();
        for (int i = 0; i < 300; i++) {
            // Mostly backwards: the fit would want a negative weight, and must stop at 0.
            inverted.add(new CalibrationFit.Example(0.5, i % 10 == 0 ? 2.0 : -2.0, List.of(), true, false));
            inverted.add(new CalibrationFit.Example(0.5, i % 10 == 0 ? -2.0 : 2.0, List.of(), false, false));
        }
        assertThat(CalibrationFit.fit(inverted).ngramScale()).isZero();
    }
}

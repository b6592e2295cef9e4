package sluice.core.filter.spam;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * How the statistical score and the rules combine into a probability and an SCL:
 * {@code logit(P) = bayesScale · clamp(logit(p_bayes)) + ngramScale · ngramLogit + bias + Σ weight(rule)}
 * ({@code ngramLogit} is {@link NgramModel}'s clamped score, 0 for a model without one), and the SCL is
 * the number of {@code sclCutoffs} that P exceeds. Fitted by {@code Train} on the training split
 * only (see the package documentation) and shipped inside the model.
 *
 * @param sclCutoffs nine ascending probabilities; P &gt; cutoffs[k] means SCL ≥ k + 1 (so with the default
 *                   cutoff 0.5, a message without evidence either way is not spam)
 * @param ngramScale the weight of the n-gram model's logit (0: not used)
 */
record Calibration(double bayesScale, double bias, Map<Rule, Double> weights, double[] sclCutoffs, double ngramScale) {

    /** The clamp on the statistical log-odds: chi-square scores saturate at 0 and 1. */
    static final double MAX_BAYES_LOGIT = 10.0;

    Calibration {
        var w = new EnumMap<Rule, Double>(Rule.class);
        for (Rule r : Rule.values()) {
            w.put(r, weights.getOrDefault(r, r.priorWeight()));
        }
        weights = Map.copyOf(w);
        if (sclCutoffs.length != 9) {
            throw new IllegalArgumentException("need 9 SCL cutoffs, got " + sclCutoffs.length);
        }
        for (int i = 1; i < 9; i++) {
            if (!(sclCutoffs[i] >= sclCutoffs[i - 1])) {
                throw new IllegalArgumentException("SCL cutoffs must ascend: " + Arrays.toString(sclCutoffs));
            }
        }
        sclCutoffs = sclCutoffs.clone();
    }

    /** Without the n-gram model. */
    Calibration(double bayesScale, double bias, Map<Rule, Double> weights, double[] sclCutoffs) {
        this(bayesScale, bias, weights, sclCutoffs, 0.0);
    }

    /** Hand-set starting point: the rules' priors and bands before any fitting. */
    static Calibration defaults() {
        return new Calibration(1.0, 0.0, Map.of(),
                new double[] {0.02, 0.1, 0.2, 0.35, 0.5, 0.8, 0.9, 0.98, 0.995});
    }

    double weight(Rule rule) {
        return weights.get(rule);
    }

    static double bayesLogit(double p) {
        double clamped = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
        double logit = Math.log(clamped / (1 - clamped));
        return Math.max(-MAX_BAYES_LOGIT, Math.min(MAX_BAYES_LOGIT, logit));
    }

    int scl(double probability) {
        int scl = 0;
        while (scl < 9 && probability > sclCutoffs[scl]) {
            scl++;
        }
        return scl;
    }

    @Override
    public double[] sclCutoffs() {
        return sclCutoffs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && c.bayesScale == bayesScale && c.ngramScale == ngramScale && c.bias == bias
                && c.weights.equals(weights) && Arrays.equals(c.sclCutoffs, sclCutoffs);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(bayesScale) * 31 + Arrays.hashCode(sclCutoffs);
    }

    @Override
    public String toString() {
        return "Calibration[scale=" + bayesScale + ", ngramScale=" + ngramScale + ", bias=" + bias + ", weights=" + weights + ", scl="
                + Arrays.toString(sclCutoffs) + "]";
    }
}

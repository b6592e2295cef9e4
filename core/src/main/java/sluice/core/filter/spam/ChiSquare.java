package sluice.core.filter.spam;

import java.util.Arrays;
import java.util.Collection;

/**
 * Robinson's token probabilities combined with Fisher's chi-square method, as in SpamBayes and
 * Bogofilter (Gary Robinson, "A Statistical Approach to the Spam Problem", 2003).
 *
 * <p>Per token: {@code p = (s/S) / (s/S + h/H)} from its spam and ham counts s, h over the totals
 * S, H, shrunk towards 0.5 by the evidence it rests on: {@code f = (STRENGTH·0.5 + n·p) /
 * (STRENGTH + n)}. Only tokens with {@code |f − 0.5| ≥ MIN_DISTANCE} take part, at most
 * {@link #MAX_CLUES} of the strongest. The spamminess and hamminess are each a chi-square test of
 * the hypothesis that the f's are random; their difference, mapped to [0, 1], is the score.
 */
final class ChiSquare {

    static final int MAX_CLUES = 150;
    private static final double STRENGTH = 0.45;
    private static final double MIN_DISTANCE = 0.1;

    /** Hamminess at or above which the ham side is significant: see {@link Score#conflicting()}. */
    static final double CONFLICT_HAMMINESS = 0.9;

    /**
     * The score (0 = ham, 1 = spam, 0.5 = no evidence), how many tokens decided it, and the two
     * chi-square tests it is made of: spamminess S and hamminess H, each near 1 when the tokens
     * are significantly spammy (hammy); probability = (S − H + 1) / 2.
     */
    record Score(double probability, int clues, double spamminess, double hamminess) {

        /** Significant ham evidence in the tokens (H ≥ 0.9), whatever the spam side says. */
        boolean conflicting() {
            return hamminess >= CONFLICT_HAMMINESS;
        }
    }

    private ChiSquare() {
    }

    static Score score(Collection<String> tokens, SpamModel global, OrgSpamModel overlay) {
        long[] extra = overlay == null ? null : overlay.snapshot(tokens);
        double nspam = global.spamMessages() + (extra == null ? 0 : extra[tokens.size()]);
        double nham = global.hamMessages() + (extra == null ? 0 : extra[tokens.size() + 1]);
        if (nspam == 0 || nham == 0) {
            return new Score(0.5, 0, 0, 0);
        }
        double[] f = new double[tokens.size()];
        long[] order = new long[tokens.size()];
        int n = 0;
        int i = 0;
        for (String t : tokens) {
            long c = global.counts(t);
            if (extra != null) {
                c += extra[i];
            }
            i++;
            int s = (int) (c >>> 32);
            int h = (int) c;
            if (s + h == 0) {
                continue;
            }
            double spamRatio = s / nspam;
            double hamRatio = h / nham;
            double p = spamRatio / (spamRatio + hamRatio);
            double fw = (STRENGTH * 0.5 + (s + h) * p) / (STRENGTH + s + h);
            double distance = Math.abs(fw - 0.5);
            if (distance >= MIN_DISTANCE) {
                f[n] = fw;
                // Sort key: distance (high bits, descending via negation) then index, so ties
                // break by token order and the result does not depend on sort stability.
                order[n] = (Long.MAX_VALUE - Math.round(distance * 1e12)) / (1L << 20) << 20 | n;
                n++;
            }
        }
        long[] sorted = Arrays.copyOf(order, n);
        Arrays.sort(sorted);
        int clues = Math.min(n, MAX_CLUES);
        double lnHam = 0;
        double lnSpam = 0;
        for (int k = 0; k < clues; k++) {
            double fw = f[(int) (sorted[k] & 0xFFFFF)];
            lnHam += Math.log(fw);
            lnSpam += Math.log1p(-fw);
        }
        if (clues == 0) {
            return new Score(0.5, 0, 0, 0);
        }
        double spamminess = 1.0 - chi2Q(-2.0 * lnSpam, 2 * clues);
        double hamminess = 1.0 - chi2Q(-2.0 * lnHam, 2 * clues);
        return new Score((spamminess - hamminess + 1.0) / 2.0, clues, spamminess, hamminess);
    }

    /** P(χ² ≥ x2) with v (even) degrees of freedom, by the series for even v. */
    static double chi2Q(double x2, int v) {
        double m = x2 / 2.0;
        double term = Math.exp(-m);
        double sum = term;
        for (int i = 1; i < v / 2; i++) {
            term *= m / i;
            sum += term;
        }
        return Math.min(sum, 1.0);
    }
}

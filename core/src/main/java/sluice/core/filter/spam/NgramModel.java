package sluice.core.filter.spam;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * The second statistical model: logistic regression over hashed binary character 4-grams of the
 * start of the message (its headers, without the Received trace, then the decoded text), after
 * the TREC spam-track results (Sculley and Cormack; Goodman and Yih). Character n-grams need no
 * vocabulary: a new campaign's unseen word still shares most of its 4-grams with words the model
 * has seen ("v1agra", "refinance" → "refinancing"), which is what the token counts of
 * {@link ChiSquare} cannot do under vocabulary shift.
 *
 * <p>Features: every 4-gram of the first {@link #MAX_CHARS} characters (lower case, whitespace
 * runs as one blank) hashed into {@code 2^}{@link #BITS} buckets, each counted once; the message
 * vector is scaled to unit length (shorter still for short messages, see {@link #MIN_NORM}), so
 * the logit is {@code Σ w[bucket] / √max(n, MIN_NORM)}. No intercept: a
 * message whose buckets the model has no weight for scores 0 (unsure), and the two classes are
 * weighted to equal total mass, so the 5:1 ham/spam mix of the training split is not a prior.
 *
 * <p>Training: {@link #PASSES} passes of stochastic gradient descent in an order fixed by a
 * seeded shuffle, then the weights are rounded to multiples of {@link #STEP} — the model file
 * stores them so, and the model that is evaluated in training is the rounded one, so training
 * and the shipped model score identically. Same input, same weights, same bytes.
 */
final class NgramModel {

    static final int BITS = 20;
    static final int MAX_CHARS = 3000;
    static final int PASSES = 10;
    static final double RATE = 0.5;
    /** The quantum weights are stored in (the file keeps {@code round(w / STEP)} as an integer). */
    static final double STEP = 1.0 / 4096;
    /** A clamp on the logit, as for the Bayes score: the calibration must not see ±∞. */
    static final double MAX_LOGIT = 10.0;
    private static final long SEED = 20021231L;
    /**
     * The vector is scaled by {@code 1/√max(n, MIN_NORM)}: a short message (a few lines, fewer
     * than this many distinct 4-grams) is little evidence either way, and its score stays near 0
     * instead of being blown up to a long message's size. 1000 is roughly 1500 characters of text.
     */
    static final int MIN_NORM = 1000;
    private static final Set<String> SENDER_HEADERS = Set.of("from", "to", "cc", "reply-to", "subject",
            "content-type", "x-mailer", "user-agent", "organization");
    /** For measuring the views without the n-gram model: {@code -Dvalidate.ngram=false} (then it learns nothing). */
    static final boolean ENABLED = !"false".equals(System.getProperty("validate.ngram"));

    private final float[] weights;

    NgramModel(float[] weights) {
        if (weights.length != 1 << BITS) {
            throw new IllegalArgumentException("need 2^" + BITS + " weights, got " + weights.length);
        }
        this.weights = weights;
    }

    /** A model that knows nothing: every message scores 0. */
    static NgramModel empty() {
        return new NgramModel(new float[1 << BITS]);
    }

    /** The sorted, distinct 4-gram buckets of a message. */
    static int[] features(ParsedMessage m) {
        return features(text(m));
    }

    static int[] features(CharSequence text) {
        int n = text.length() - 3;
        if (n <= 0) {
            return new int[0];
        }
        int[] out = new int[n];
        long window = 0;
        for (int i = 0; i < text.length(); i++) {
            // Four 16-bit chars fill the 64-bit window exactly; a mixing step spreads it over the buckets.
            window = (window << 16) | text.charAt(i);
            if (i >= 3) {
                out[i - 3] = bucket(window);
            }
        }
        Arrays.sort(out);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || out[i] != out[i - 1]) {
                out[distinct++] = out[i];
            }
        }
        return Arrays.copyOf(out, distinct);
    }

    /** The top {@link #BITS} bits of a 64-bit mix (the SplitMix64 finalizer). */
    static int bucket(long window) {
        long z = window * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z >>> (64 - BITS));
    }

    /**
     * The text the n-grams come from: the headers the sender writes (From, Subject, the mailer…;
     * not the trace, dates and ids that relays and the corpus collection added, which would tie
     * the model to when and where a message was collected), then the decoded text; lower case,
     * whitespace runs as one blank, at most {@link #MAX_CHARS} characters. (Digits are kept as
     * they are: writing every digit as 9 was no better in any view, and made the 4-grams of ids
     * and UUIDs look like the prices and phone numbers of spam.)
     */
    static String text(ParsedMessage m) {
        var sb = new StringBuilder(MAX_CHARS + 64);
        for (ParsedMessage.Header h : m.headers()) {
            if (sb.length() >= MAX_CHARS) {
                break;
            }
            if (SENDER_HEADERS.contains(h.key())) {
                append(sb, h.key());
                append(sb, ": ");
                append(sb, h.value());
                append(sb, "\n");
            }
        }
        append(sb, m.text());
        return sb.substring(0, Math.min(sb.length(), MAX_CHARS));
    }

    private static void append(StringBuilder sb, String s) {
        for (int i = 0; i < s.length() && sb.length() < MAX_CHARS; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                if (sb.isEmpty() || sb.charAt(sb.length() - 1) != ' ') {
                    sb.append(' ');
                }
            } else {
                sb.append(Character.toLowerCase(c));
            }
        }
    }

    /** The clamped logit of a message's buckets. */
    double logit(int[] features) {
        if (features.length == 0) {
            return 0.0;
        }
        double sum = 0;
        for (int f : features) {
            sum += weights[f];
        }
        double z = sum / Math.sqrt(Math.max(features.length, MIN_NORM));
        return Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, z));
    }

    /**
     * Trains on the messages {@code include} accepts; {@code spam[i]} is the label of
     * {@code features[i]} and {@code weight[i]} how much it counts within its class.
     */
    static NgramModel train(int[][] features, boolean[] spam, double[] weight, IntPredicate include) {
        int[] order = IntStream.range(0, features.length).filter(include).toArray();
        double spamMass = Arrays.stream(order).filter(i -> spam[i]).mapToDouble(i -> weight[i]).sum();
        double hamMass = Arrays.stream(order).filter(i -> !spam[i]).mapToDouble(i -> weight[i]).sum();
        if (spamMass == 0 || hamMass == 0 || !ENABLED) {
            return empty();
        }
        // Equal total mass per class, average example weight 1.
        double spamWeight = order.length / (2.0 * spamMass);
        double hamWeight = order.length / (2.0 * hamMass);
        double[] w = new double[1 << BITS];
        var random = new Random(SEED);
        for (int pass = 0; pass < PASSES; pass++) {
            shuffle(order, random);
            for (int i : order) {
                int[] x = features[i];
                if (x.length == 0) {
                    continue;
                }
                double norm = 1.0 / Math.sqrt(Math.max(x.length, MIN_NORM));
                double z = 0;
                for (int f : x) {
                    z += w[f];
                }
                z *= norm;
                // StrictMath: the same bits on every JVM and CPU, so the quantized weights (and
                // the model file) cannot differ by one rounding between machines.
                double p = 1.0 / (1.0 + StrictMath.exp(-z));
                double g = RATE * ((spam[i] ? 1.0 : 0.0) - p) * (spam[i] ? spamWeight : hamWeight) * weight[i] * norm;
                for (int f : x) {
                    w[f] += g;
                }
            }
        }
        float[] q = new float[w.length];
        for (int f = 0; f < w.length; f++) {
            q[f] = (float) quantize(w[f]);
        }
        return new NgramModel(q);
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static double quantize(double w) {
        return Math.round(w / STEP) * STEP;
    }

    /** The stored integer for a bucket (0 for most). */
    long quantum(int bucket) {
        return Math.round(weights[bucket] / STEP);
    }

    int nonZero() {
        int n = 0;
        for (float v : weights) {
            n += v != 0 ? 1 : 0;
        }
        return n;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "NgramModel[2^%d buckets, %d non-zero]", BITS, nonZero());
    }
}

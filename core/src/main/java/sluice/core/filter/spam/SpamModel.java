package sluice.core.filter.spam;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The global, read-only spam model: token counts from the training corpus, how many spam and
 * ham messages they came from, the n-gram model's weights ({@link NgramModel}), and the {@link Calibration} that turns scores into an SCL. Load it
 * once ({@link #loadDefault()}) and share it: it is immutable and safe for concurrent reads.
 * Organizations' own training goes into an {@link OrgSpamModel} overlay, never into this.
 */
public final class SpamModel {

    /** The resource {@code bench/train-spam-model.sh} regenerates. */
    public static final String DEFAULT_RESOURCE = "/sluice/core/filter/spam/model.tsv.gz";

    private final TokenTable tokens;
    private final int nspam;
    private final int nham;
    private final Calibration calibration;
    private final NgramModel ngrams;

    SpamModel(TokenTable tokens, int nspam, int nham, Calibration calibration) {
        this(tokens, nspam, nham, calibration, NgramModel.empty());
    }

    SpamModel(TokenTable tokens, int nspam, int nham, Calibration calibration, NgramModel ngrams) {
        if (nspam < 0 || nham < 0) {
            throw new IllegalArgumentException("negative message counts");
        }
        this.tokens = tokens;
        this.nspam = nspam;
        this.nham = nham;
        this.calibration = calibration;
        this.ngrams = ngrams;
    }

    /** The model shipped in the jar; throws {@link IllegalStateException} if it is missing. */
    public static SpamModel loadDefault() {
        try (InputStream in = SpamModel.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("spam model resource " + DEFAULT_RESOURCE
                        + " is missing from the classpath; regenerate it with bench/train-spam-model.sh");
            }
            return ModelFile.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spam model " + DEFAULT_RESOURCE, e);
        }
    }

    /** A model from a stream in the format {@link ModelFile} writes (gzip'd TSV). */
    public static SpamModel read(InputStream in) throws IOException {
        return ModelFile.read(in);
    }

    /** An empty model: every token unknown, so only the rules speak. For tests and bootstrapping. */
    static SpamModel empty() {
        return new SpamModel(TokenTable.builder(16).build(), 0, 0, Calibration.defaults());
    }

    public int spamMessages() {
        return nspam;
    }

    public int hamMessages() {
        return nham;
    }

    public int tokenCount() {
        return tokens.size();
    }

    long counts(String token) {
        return tokens.counts(token);
    }

    Calibration calibration() {
        return calibration;
    }

    NgramModel ngrams() {
        return ngrams;
    }

    SpamModel withCalibration(Calibration c) {
        return new SpamModel(tokens, nspam, nham, c, ngrams);
    }
}

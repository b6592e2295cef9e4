package sluice.core.filter.spam;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Trains the shipped model from the training split of the corpus (never the held-out part):
 * {@code Train <corpus>/package/data <model.tsv.gz>}, normally through
 * {@code bench/train-spam-model.sh}. Steps: extract features of every training message; k-fold
 * cross-validation inside the training split to get an out-of-fold Bayes score per message; fit
 * the {@link Calibration} (rule weights, SCL bands) on those scores; count tokens over the whole
 * training split; write the model. Deterministic: same corpus, same bytes out. Prints the
 * cross-validated accuracy on stderr (that is the only accuracy tuning may look at).
 */
public final class Train {

    static final int FOLDS = 5;
    /**
     * The clock for messages without any Received header. Fixed (the corpus is from 2002) so
     * training and scoring are reproducible; in production the classifier gets the real clock.
     */
    static final Instant CORPUS_NOW = Instant.parse("2002-12-31T00:00:00Z");

    private Train() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Train <corpus data dir (…/package/data)> <output model.tsv.gz>");
            System.exit(2);
        }
        List<Corpus.Message> messages = Corpus.training(Path.of(args[0]));
        List<MessageFeatures> features = extract(messages);
        List<CalibrationFit.Example> oof = crossValidate(messages, features);
        Calibration calibration = CalibrationFit.fit(oof);
        report(oof, calibration);
        var counts = new TreeMap<String, int[]>(count(messages, features, i -> true));
        int nspam = (int) messages.stream().filter(Corpus.Message::spam).count();
        Path out = Path.of(args[1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(out)) {
            ModelFile.write(os, nspam, messages.size() - nspam, calibration, counts);
        }
        System.err.printf(Locale.ROOT, "model: %d spam, %d ham, %d tokens, %d bytes -> %s%n", nspam,
                messages.size() - nspam, counts.size(), Files.size(out), out);
    }

    static List<MessageFeatures> extract(List<Corpus.Message> messages) {
        return IntStream.range(0, messages.size()).parallel()
                .mapToObj(i -> MessageFeatures.of(messages.get(i).raw(), CORPUS_NOW)).toList();
    }

    /** Fold of a message: stable across runs and JVMs (String.hashCode is specified). */
    static int fold(Corpus.Message m) {
        return Math.floorMod((m.group() + "/" + m.file()).hashCode(), FOLDS);
    }

    static List<CalibrationFit.Example> crossValidate(List<Corpus.Message> messages, List<MessageFeatures> features) {
        var examples = new CalibrationFit.Example[messages.size()];
        for (int f = 0; f < FOLDS; f++) {
            int fold = f;
            var model = model(messages, features, i -> fold(messages.get(i)) != fold, Calibration.defaults());
            IntStream.range(0, messages.size()).parallel().filter(i -> fold(messages.get(i)) == fold).forEach(i -> {
                double p = ChiSquare.score(features.get(i).tokens(), model, null).probability();
                examples[i] = new CalibrationFit.Example(p, features.get(i).hits(), messages.get(i).spam());
            });
        }
        return List.of(examples);
    }

    static SpamModel model(List<Corpus.Message> messages, List<MessageFeatures> features, IntPredicate include,
                           Calibration calibration) {
        Map<String, int[]> counts = count(messages, features, include);
        var table = TokenTable.builder(counts.size());
        counts.forEach((t, c) -> table.add(t, c[0], c[1]));
        int nspam = 0;
        int nham = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (include.test(i)) {
                if (messages.get(i).spam()) {
                    nspam++;
                } else {
                    nham++;
                }
            }
        }
        return new SpamModel(table.build(), nspam, nham, calibration);
    }

    static Map<String, int[]> count(List<Corpus.Message> messages, List<MessageFeatures> features,
                                    IntPredicate include) {
        var counts = new HashMap<String, int[]>();
        for (int i = 0; i < messages.size(); i++) {
            if (!include.test(i)) {
                continue;
            }
            int slot = messages.get(i).spam() ? 0 : 1;
            for (String t : features.get(i).tokens()) {
                counts.computeIfAbsent(t, k -> new int[2])[slot]++;
            }
        }
        return counts;
    }

    private static void report(List<CalibrationFit.Example> oof, Calibration c) {
        System.err.println("calibration: " + c);
        var rows = new ArrayList<String>();
        rows.add(line("bayes only, p >= 0.5", oof, e -> e.bayesProbability() >= 0.5));
        rows.add(line("bayes only, p >= 0.9", oof, e -> e.bayesProbability() >= 0.9));
        double[] cut = c.sclCutoffs();
        for (int scl = 4; scl <= 7; scl++) {
            double t = cut[scl - 1];
            rows.add(line("calibrated, SCL >= " + scl, oof, e -> CalibrationFit.probability(c, e) > t));
        }
        System.err.println(FOLDS + "-fold cross-validation on the training split:");
        rows.forEach(System.err::println);
    }

    private static String line(String label, List<CalibrationFit.Example> oof,
                               java.util.function.Predicate<CalibrationFit.Example> spamCall) {
        long spam = oof.stream().filter(CalibrationFit.Example::spam).count();
        long ham = oof.size() - spam;
        long caught = oof.stream().filter(e -> e.spam() && spamCall.test(e)).count();
        long fp = oof.stream().filter(e -> !e.spam() && spamCall.test(e)).count();
        return String.format(Locale.ROOT, "  %-24s recall %5.1f%% (%d/%d)  FP %5.2f%% (%d/%d)", label,
                100.0 * caught / spam, caught, spam, 100.0 * fp / ham, fp, ham);
    }
}

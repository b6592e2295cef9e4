package sluice.core.filter.spam;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The accuracy bench's scorer: {@code ScoreCorpus <corpus data dir> [model.tsv.gz] [threads]}.
 * Classifies every held-out message once and prints one line per message on stdout
 * ({@code group file truth scl probability symbols}), then measures throughput: messages are held
 * in memory, two warm-up passes let the JIT settle, and three timed passes over all messages with
 * {@code threads} workers follow; the median rate is reported on stderr as {@code msgs_per_sec=}.
 * Only the scoring loop is timed (no file reading, no printing).
 */
public final class ScoreCorpus {

    private ScoreCorpus() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: ScoreCorpus <corpus data dir> [model.tsv.gz] [threads]");
            System.exit(2);
        }
        SpamModel model = args.length >= 2 ? load(Path.of(args[1])) : SpamModel.loadDefault();
        int threads = args.length >= 3 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        var classifier = new SpamClassifier(model, InstantSource.fixed(Train.CORPUS_NOW));
        List<Corpus.Message> messages = Corpus.heldOut(Path.of(args[0]));

        var out = new PrintStream(System.out, false, "UTF-8");
        for (Corpus.Message m : messages) {
            SpamVerdict v = classifier.classify(m.raw());
            out.printf(Locale.ROOT, "%s\t%s\t%s\t%d\t%.6f\t%s%n", m.group(), m.file(), m.spam() ? "spam" : "ham",
                    v.scl(), v.probability(), String.join(",", v.symbols().stream().map(Symbol::name).toList()));
        }
        out.flush();

        byte[][] raw = messages.stream().map(Corpus.Message::raw).toArray(byte[][]::new);
        for (int i = 0; i < 2; i++) {
            pass(classifier, raw, threads);
        }
        double[] rates = new double[3];
        for (int i = 0; i < rates.length; i++) {
            long start = System.nanoTime();
            pass(classifier, raw, threads);
            rates[i] = raw.length / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        System.err.printf(Locale.ROOT, "messages=%d threads=%d msgs_per_sec=%.1f rounds=%s%n", raw.length, threads,
                rates[1], Arrays.toString(Arrays.stream(rates).map(r -> Math.round(r)).toArray()));
    }

    private static SpamModel load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return SpamModel.read(in);
        }
    }

    /** Classifies every message once, spread over {@code threads} platform threads. */
    private static void pass(SpamClassifier classifier, byte[][] raw, int threads) throws InterruptedException {
        var next = new AtomicInteger();
        var sink = new AtomicInteger();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = Thread.ofPlatform().start(() -> {
                int local = 0;
                for (int i; (i = next.getAndIncrement()) < raw.length; ) {
                    local += classifier.classify(raw[i]).scl();
                }
                sink.addAndGet(local);
            });
        }
        for (Thread w : workers) {
            w.join();
        }
    }
}

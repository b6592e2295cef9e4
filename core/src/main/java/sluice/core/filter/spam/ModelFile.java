package sluice.core.filter.spam;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The model's file format: gzip'd UTF-8 text, one record per line, tab-separated, so it can be
 * inspected with {@code zcat} and diffed between trainings. Tokens are written sorted and numbers
 * with a fixed format, and Java's gzip header carries no timestamp, so the same training input
 * always gives the same bytes (the accuracy bench compares hashes).
 *
 * <pre>
 * sluice-spam-model	2
 * messages	&lt;spam&gt;	&lt;ham&gt;
 * scale	&lt;bayesScale&gt;
 * ngramscale	&lt;ngramScale&gt;          (version 2)
 * bias	&lt;bias&gt;
 * weight	&lt;RULE&gt;	&lt;weight&gt;        (one per rule)
 * scl	&lt;9 cutoffs&gt;
 * tokens	&lt;n&gt;
 * &lt;spam&gt;	&lt;ham&gt;	&lt;token&gt;          (n lines; tokens never contain tabs or newlines)
 * ngrams	&lt;bits&gt;	&lt;1/step&gt;	&lt;m&gt;         (version 2: the {@link NgramModel})
 * &lt;gap&gt;	&lt;quantum&gt;                (m lines, non-zero buckets ascending: bucket = previous + gap,
 *                                   weight = quantum · step)
 * </pre>
 *
 * <p>Version 1 files (no n-gram model) still load, with the n-gram weight at 0.
 */
final class ModelFile {

    private static final String MAGIC = "sluice-spam-model";

    private ModelFile() {
    }

    static void write(OutputStream out, int nspam, int nham, Calibration c, SortedMap<String, int[]> counts,
                      NgramModel ngrams) throws IOException {
        var gzip = new GZIPOutputStream(out, 1 << 16);
        Writer w = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 1 << 16);
        w.write(MAGIC + "\t2\n");
        w.write("messages\t" + nspam + "\t" + nham + "\n");
        w.write("scale\t" + num(c.bayesScale()) + "\n");
        w.write("ngramscale\t" + num(c.ngramScale()) + "\n");
        w.write("bias\t" + num(c.bias()) + "\n");
        for (Rule r : Rule.values()) {
            w.write("weight\t" + r.name() + "\t" + num(c.weight(r)) + "\n");
        }
        var scl = new StringBuilder("scl");
        for (double cut : c.sclCutoffs()) {
            scl.append('\t').append(num(cut));
        }
        w.write(scl + "\n");
        w.write("tokens\t" + counts.size() + "\n");
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            w.write(e.getValue()[0] + "\t" + e.getValue()[1] + "\t" + e.getKey() + "\n");
        }
        w.write("ngrams\t" + NgramModel.BITS + "\t" + Math.round(1 / NgramModel.STEP) + "\t" + ngrams.nonZero() + "\n");
        int previous = 0;
        for (int b = 0; b < 1 << NgramModel.BITS; b++) {
            long q = ngrams.quantum(b);
            if (q != 0) {
                w.write((b - previous) + "\t" + q + "\n");
                previous = b;
            }
        }
        w.flush();
        gzip.finish();
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    static SpamModel read(InputStream in) throws IOException {
        var r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8));
        String[] magic = fields(r);
        if (!magic[0].equals(MAGIC) || !(magic[1].equals("1") || magic[1].equals("2"))) {
            throw new IOException("not a Sluice spam model (version 1 or 2): " + String.join(" ", magic));
        }
        boolean v2 = magic[1].equals("2");
        String[] messages = expect(r, "messages");
        double scale = Double.parseDouble(expect(r, "scale")[1]);
        double ngramScale = v2 ? Double.parseDouble(expect(r, "ngramscale")[1]) : 0.0;
        double bias = Double.parseDouble(expect(r, "bias")[1]);
        var weights = new EnumMap<Rule, Double>(Rule.class);
        String[] f;
        while ((f = fields(r))[0].equals("weight")) {
            try {
                weights.put(Rule.valueOf(f[1]), Double.parseDouble(f[2]));
            } catch (IllegalArgumentException unknownRule) {
                // A model from a newer release may name rules this one lacks: ignore them.
            }
        }
        if (!f[0].equals("scl") || f.length != 10) {
            throw new IOException("expected 9 SCL cutoffs, got: " + String.join(" ", f));
        }
        double[] cutoffs = new double[9];
        for (int i = 0; i < 9; i++) {
            cutoffs[i] = Double.parseDouble(f[i + 1]);
        }
        int n = Integer.parseInt(expect(r, "tokens")[1]);
        var table = TokenTable.builder(n);
        for (int i = 0; i < n; i++) {
            String line = r.readLine();
            if (line == null) {
                throw new IOException("model truncated after " + i + " of " + n + " tokens");
            }
            int t1 = line.indexOf('\t');
            int t2 = line.indexOf('\t', t1 + 1);
            table.add(line.substring(t2 + 1), Integer.parseInt(line, 0, t1, 10),
                    Integer.parseInt(line, t1 + 1, t2, 10));
        }
        NgramModel ngrams = v2 ? readNgrams(r) : NgramModel.empty();
        return new SpamModel(table.build(), Integer.parseInt(messages[1]), Integer.parseInt(messages[2]),
                new Calibration(scale, bias, weights, cutoffs, ngramScale), ngrams);
    }

    private static NgramModel readNgrams(BufferedReader r) throws IOException {
        String[] f = expect(r, "ngrams");
        if (f.length != 4 || Integer.parseInt(f[1]) != NgramModel.BITS
                || Long.parseLong(f[2]) != Math.round(1 / NgramModel.STEP)) {
            throw new IOException("unsupported n-gram model: " + String.join(" ", f));
        }
        int m = Integer.parseInt(f[3]);
        float[] weights = new float[1 << NgramModel.BITS];
        int bucket = 0;
        for (int i = 0; i < m; i++) {
            String line = r.readLine();
            if (line == null) {
                throw new IOException("n-gram model truncated after " + i + " of " + m + " weights");
            }
            int tab = line.indexOf('\t');
            bucket += Integer.parseInt(line, 0, tab, 10);
            if (bucket < 0 || bucket >= weights.length) {
                throw new IOException("n-gram bucket out of range: " + bucket);
            }
            weights[bucket] = (float) (Long.parseLong(line, tab + 1, line.length(), 10) * NgramModel.STEP);
        }
        return new NgramModel(weights);
    }

    private static String[] fields(BufferedReader r) throws IOException {
        String line = r.readLine();
        if (line == null) {
            throw new IOException("model truncated");
        }
        return line.split("\t");
    }

    private static String[] expect(BufferedReader r, String key) throws IOException {
        String[] f = fields(r);
        if (!f[0].equals(key) || f.length < 2) {
            throw new IOException("expected '" + key + "' in spam model, got: " + String.join(" ", f));
        }
        return f;
    }
}

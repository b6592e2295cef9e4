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
 * sluice-spam-model	1
 * messages	&lt;spam&gt;	&lt;ham&gt;
 * scale	&lt;bayesScale&gt;
 * bias	&lt;bias&gt;
 * weight	&lt;RULE&gt;	&lt;weight&gt;        (one per rule)
 * scl	&lt;9 cutoffs&gt;
 * tokens	&lt;n&gt;
 * &lt;spam&gt;	&lt;ham&gt;	&lt;token&gt;          (n lines; tokens never contain tabs or newlines)
 * </pre>
 */
final class ModelFile {

    private static final String MAGIC = "sluice-spam-model";

    private ModelFile() {
    }

    static void write(OutputStream out, int nspam, int nham, Calibration c, SortedMap<String, int[]> counts)
            throws IOException {
        var gzip = new GZIPOutputStream(out, 1 << 16);
        Writer w = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 1 << 16);
        w.write(MAGIC + "\t1\n");
        w.write("messages\t" + nspam + "\t" + nham + "\n");
        w.write("scale\t" + num(c.bayesScale()) + "\n");
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
        w.flush();
        gzip.finish();
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    static SpamModel read(InputStream in) throws IOException {
        var r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8));
        String[] magic = fields(r);
        if (!magic[0].equals(MAGIC) || !magic[1].equals("1")) {
            throw new IOException("not a Sluice spam model (version 1): " + String.join(" ", magic));
        }
        String[] messages = expect(r, "messages");
        double scale = Double.parseDouble(expect(r, "scale")[1]);
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
        return new SpamModel(table.build(), Integer.parseInt(messages[1]), Integer.parseInt(messages[2]),
                new Calibration(scale, bias, weights, cutoffs));
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

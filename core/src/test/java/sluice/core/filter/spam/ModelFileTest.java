package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFileTest {

    private static byte[] write(TreeMap<String, int[]> counts, Calibration c) throws IOException {
        var out = new ByteArrayOutputStream();
        ModelFile.write(out, 3, 4, c, counts, NgramModel.empty());
        return out.toByteArray();
    }

    @Test
    void roundTripsCountsAndCalibrationAndIsByteForByteReproducible() throws IOException {
        var counts = new TreeMap<String, int[]>(Map.of("free", new int[] {3, 0}, "bi:meeting agenda", new int[] {0, 4},
                "subject:été", new int[] {1, 1}));
        Calibration c = new Calibration(0.7, 0.0, Map.of(Rule.HTML_ONLY, 0.9),
                new double[] {0.01, 0.05, 0.1, 0.2, 0.5, 0.8, 0.9, 0.99, 0.999});
        byte[] first = write(counts, c);
        assertThat(write(counts, c)).isEqualTo(first);

        SpamModel model = SpamModel.read(new ByteArrayInputStream(first));
        assertThat(model.spamMessages()).isEqualTo(3);
        assertThat(model.hamMessages()).isEqualTo(4);
        assertThat(model.tokenCount()).isEqualTo(3);
        assertThat(model.counts("free")).isEqualTo(3L << 32);
        assertThat(model.counts("bi:meeting agenda")).isEqualTo(4L);
        assertThat(model.counts("subject:été")).isEqualTo((1L << 32) | 1);
        assertThat(model.counts("unknown")).isZero();
        assertThat(model.calibration()).isEqualTo(c);
    }

    @Test
    void roundTripsTheNgramModelAndItsWeight() throws IOException {
        int[][] features = {NgramModel.features("cheap pills online now"), NgramModel.features("meeting on friday")};
        NgramModel ngrams = NgramModel.train(features, new boolean[] {true, false}, new double[] {1, 1}, i -> true);
        Calibration c = new Calibration(0.4, 0.0, Map.of(), new double[] {0.01, 0.05, 0.1, 0.2, 0.5, 0.8, 0.9,
                0.99, 0.999}, 0.8);
        var counts = new TreeMap<String, int[]>(Map.of("free", new int[] {1, 0}));
        var out = new ByteArrayOutputStream();
        ModelFile.write(out, 1, 1, c, counts, ngrams);
        var again = new ByteArrayOutputStream();
        ModelFile.write(again, 1, 1, c, counts, ngrams);
        assertThat(again.toByteArray()).isEqualTo(out.toByteArray());

        SpamModel model = SpamModel.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(model.calibration()).isEqualTo(c);
        assertThat(model.ngrams().nonZero()).isEqualTo(ngrams.nonZero()).isPositive();
        for (int[] f : features) {
            assertThat(model.ngrams().logit(f)).isEqualTo(ngrams.logit(f)).isNotZero();
        }
    }

    @Test
    void readsVersion1ModelsWithoutNgrams() throws IOException {
        String v1 = "sluice-spam-model\t1\nmessages\t2\t3\nscale\t0.5\nbias\t0.0\nweight\tHTML_ONLY\t0.3\n"
                + "scl\t0.01\t0.05\t0.1\t0.2\t0.5\t0.8\t0.9\t0.99\t0.999\ntokens\t1\n2\t0\tfree\n";
        var gz = new ByteArrayOutputStream();
        try (var z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(v1.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        SpamModel model = SpamModel.read(new ByteArrayInputStream(gz.toByteArray()));
        assertThat(model.counts("free")).isEqualTo(2L << 32);
        assertThat(model.calibration().ngramScale()).isZero();
        assertThat(model.ngrams().nonZero()).isZero();
    }

    @Test
    void rejectsSomethingElse() {
        assertThatThrownBy(() -> SpamModel.read(new ByteArrayInputStream(new byte[] {1, 2, 3})))
                .isInstanceOf(IOException.class);
    }

    @Test
    void tokenTableGrowsAndFindsEveryToken() {
        var builder = TokenTable.builder(4);
        for (int i = 0; i < 10_000; i++) {
            builder.add("t" + i, i, 1);
        }
        TokenTable table = builder.build();
        assertThat(table.size()).isEqualTo(10_000);
        for (int i = 0; i < 10_000; i += 997) {
            assertThat(table.counts("t" + i)).isEqualTo(((long) i << 32) | 1);
        }
    }
}

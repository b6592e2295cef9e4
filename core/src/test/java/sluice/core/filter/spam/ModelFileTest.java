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
        ModelFile.write(out, 3, 4, c, counts);
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

    @Test
    void tokenTableSumsATokenAddedTwiceAndAnswersZeroForAnUnknownOne() {
        TokenTable table = TokenTable.builder(4).add("free", 3, 5).add("meeting", 0, 40).add("free", 2, 1)
                .add("big", Integer.MAX_VALUE, Integer.MAX_VALUE).build();
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.counts("free")).isEqualTo((5L << 32) | 6);
        assertThat(table.counts("meeting")).isEqualTo(40);
        assertThat(table.counts("big")).isEqualTo(((long) Integer.MAX_VALUE << 32) | Integer.MAX_VALUE);
        assertThat(table.counts("unknown")).isZero();
    }
}

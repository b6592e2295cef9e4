package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NgramModelTest {

    private static ParsedMessage parse(Mail mail) {
        return MessageParser.parse(mail.bytes());
    }

    @Test
    void featuresAreTheSortedDistinctBucketsOfEveryFourCharacterWindow() {
        int[] f = NgramModel.features("abcdabcd");
        // Windows: abcd, bcda, cdab, dabc, abcd again: four distinct.
        assertThat(f).hasSize(4).isSorted();
        assertThat(f).containsExactlyInAnyOrder(NgramModel.features("abcd")[0], NgramModel.features("bcda")[0],
                NgramModel.features("cdab")[0], NgramModel.features("dabc")[0]);
        assertThat(NgramModel.features("abc")).isEmpty();
        assertThat(Arrays.stream(NgramModel.features("the quick brown fox jumps over the lazy dog"))
                .allMatch(b -> b >= 0 && b < 1 << NgramModel.BITS)).isTrue();
    }

    @Test
    void textKeepsTheSendersHeadersAndTheBodyNotTheTraceAndFoldsCaseAndBlanks() {
        String text = NgramModel.text(parse(new Mail().header("Subject", "Order   NOW: 50% off")
                .header("X-Mailer", "Bulk Mailer 3.1")
                .body("Call 555-0123\n\n\ttoday!\n")));
        assertThat(text).contains("subject: order now: 50% off").contains("x-mailer: bulk mailer 3.1")
                .contains("call 555-0123 today!");
        // Relays' trace and ids would tie the model to where and when mail was collected.
        assertThat(text).doesNotContain("received").doesNotContain("mx.example.net").doesNotContain("message-id")
                .doesNotContain("date:");
        assertThat(text).doesNotContain("  ").doesNotContain("\n");
    }

    @Test
    void textIsCappedAtMaxChars() {
        String text = NgramModel.text(parse(new Mail().body("word ".repeat(5000))));
        assertThat(text).hasSize(NgramModel.MAX_CHARS);
    }

    @Test
    void learnsWhichNgramsMarkSpamAndGeneralisesToUnseenWordForms() {
        var features = new ArrayList<int[]>();
        var labels = new ArrayList<Boolean>();
        for (int i = 0; i < 40; i++) {
            features.add(NgramModel.features("cheap refinance offer number " + i + " act now and save"));
            labels.add(true);
            features.add(NgramModel.features("notes from the project meeting " + i + " see you on thursday"));
            labels.add(false);
        }
        boolean[] spam = new boolean[labels.size()];
        for (int i = 0; i < spam.length; i++) {
            spam[i] = labels.get(i);
        }
        double[] weight = new double[spam.length];
        Arrays.fill(weight, 1.0);
        NgramModel model = NgramModel.train(features.toArray(int[][]::new), spam, weight, i -> true);

        // "refinancing" and "offers" were never seen as words; their 4-grams were.
        assertThat(model.logit(NgramModel.features("refinancing offers, act now"))).isGreaterThan(0.5);
        assertThat(model.logit(NgramModel.features("meeting notes for thursday"))).isLessThan(-0.5);
        assertThat(model.logit(new int[0])).isZero();
        assertThat(NgramModel.empty().logit(NgramModel.features("cheap refinance offer"))).isZero();
    }

    @Test
    void trainingIsDeterministicAndStoresQuantizedWeights() {
        List<String> texts = List.of("buy cheap pills online now", "lunch on friday with the team",
                "win a free cruise today", "draft of the quarterly report attached");
        int[][] features = texts.stream().map(NgramModel::features).toArray(int[][]::new);
        boolean[] spam = {true, false, true, false};
        double[] weight = {1, 1, 1, 1};
        NgramModel a = NgramModel.train(features, spam, weight, i -> true);
        NgramModel b = NgramModel.train(features, spam, weight, i -> true);
        assertThat(a.nonZero()).isPositive().isEqualTo(b.nonZero());
        for (int[] f : features) {
            for (int bucket : f) {
                assertThat(a.quantum(bucket)).isEqualTo(b.quantum(bucket));
                assertThat(a.quantum(bucket) * NgramModel.STEP).isEqualTo(NgramModel.quantize(a.quantum(bucket)
                        * NgramModel.STEP));
            }
        }
        // Only the included messages count: without the spam there is nothing to learn.
        assertThat(NgramModel.train(features, spam, weight, i -> !spam[i]).nonZero()).isZero();
    }
}

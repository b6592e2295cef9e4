package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrgSpamModelTest {

    private final SpamClassifier classifier =
            new SpamClassifier(SpamModel.loadDefault(), () -> Instant.parse("2024-09-03T10:00:10Z"));

    private static byte[] newsletter(String subject) {
        return new Mail().header("From", "Zorblax Weekly <news@zorblax.example>").header("Subject", subject)
                .body("Zorblax quarterly digest: flurbington widgets, grommets and sprockets.\n").bytes();
    }

    @Test
    void junkReportsRaiseTheScoreOfSimilarMail() {
        var overlay = new OrgSpamModel();
        double before = classifier.classify(newsletter("Zorblax digest"), overlay).probability();
        for (int i = 0; i < 5; i++) {
            overlay.learn(newsletter("Zorblax digest " + i), true);
        }
        double after = classifier.classify(newsletter("Zorblax digest"), overlay).probability();
        assertThat(after).isGreaterThan(before);
        assertThat(overlay.spamMessages()).isEqualTo(5);
        assertThat(classifier.classify(newsletter("Zorblax digest")).probability())
                .as("the global model is untouched").isEqualTo(before);
    }

    @Test
    void notJunkReportsLowerTheScore() {
        var overlay = new OrgSpamModel();
        byte[] offer = new Mail().header("Subject", "Special offer for members")
                .body("Click here for your free gift, limited time offer, order now!\n").bytes();
        double before = classifier.classify(offer, overlay).probability();
        for (int i = 0; i < 5; i++) {
            overlay.learn(offer, false);
        }
        assertThat(classifier.classify(offer, overlay).probability()).isLessThan(before);
    }

    @Test
    void countsSurviveExportAndImport() throws IOException {
        var overlay = new OrgSpamModel();
        overlay.learn(newsletter("one"), true);
        overlay.learn(new Mail().bytes(), false);
        var out = new ByteArrayOutputStream();
        overlay.writeTo(out);
        OrgSpamModel copy = OrgSpamModel.readFrom(new ByteArrayInputStream(out.toByteArray()));
        var again = new ByteArrayOutputStream();
        copy.writeTo(again);
        assertThat(again.toByteArray()).isEqualTo(out.toByteArray());
        assertThat(copy.spamMessages()).isEqualTo(1);
        assertThat(copy.hamMessages()).isEqualTo(1);
        assertThat(classifier.classify(newsletter("x"), copy)).isEqualTo(classifier.classify(newsletter("x"), overlay));
    }

    @Test
    void importRejectsForeignData() {
        assertThatThrownBy(() -> OrgSpamModel.readFrom(new ByteArrayInputStream(
                "hello\nworld\n".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(IOException.class)
                .hasMessageContaining("not a Sluice spam overlay");
    }
}

package sluice.core.filter.spam;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class SpamClassifierTest {

    private static final Instant NOW = Instant.parse("2024-09-03T10:00:10Z");
    private static SpamModel model;
    private static SpamClassifier classifier;

    @BeforeAll
    static void loadModel() {
        model = SpamModel.loadDefault();
        classifier = new SpamClassifier(model, () -> NOW);
    }

    @Test
    void shippedModelLoads() {
        assertThat(model.spamMessages()).isEqualTo(500);
        assertThat(model.hamMessages()).isEqualTo(2625);
        assertThat(model.tokenCount()).isGreaterThan(100_000);
        assertThat(model.calibration().sclCutoffs()[4]).isGreaterThanOrEqualTo(0.5);
        assertThat(model.calibration().ngramScale()).isPositive();
        assertThat(model.ngrams().nonZero()).isGreaterThan(10_000);
    }

    @Test
    void gtubeIsAlwaysScl9() {
        SpamVerdict plain = classifier.classify(new Mail().body("Hi Bob,\n" + Gtube.STRING + "\nAlice\n").bytes());
        assertThat(plain.scl()).isEqualTo(9);
        assertThat(plain.category()).isEqualTo(SpamVerdict.HIGH_CONFIDENCE_SPAM);
        assertThat(plain.symbols()).extracting(Symbol::name).containsExactly("GTUBE");

        String b64 = Base64.getMimeEncoder().encodeToString(Gtube.STRING.getBytes(StandardCharsets.US_ASCII));
        SpamVerdict hidden = classifier.classify(new Mail().header("Content-Transfer-Encoding", "base64")
                .body(b64 + "\n").bytes());
        assertThat(hidden.scl()).isEqualTo(9);
    }

    @Test
    void obviousSpamScoresHighAndOrdinaryMailLow() {
        SpamVerdict spam = classifier.classify(new Mail().header("From", "Deals <deals@bulk-offers.example>")
                .header("Subject", "FREE!! Lose weight fast, guaranteed")
                .html("<html><body><font size=5><b>LIMITED TIME OFFER!!!</b></font><br>Click here to order "
                        + "now and get your FREE bottle. 100% GUARANTEED. Order today, act now! "
                        + "<a href=\"http://203.0.113.5/order\">Click here</a><br>To be removed from our mailing "
                        + "list, reply with REMOVE in the subject.</body></html>").bytes());
        SpamVerdict ham = classifier.classify(new Mail().body("""
                Hi Bob,

                I pushed the fix for the build failure to the branch; the tests pass on my machine now.
                Could you review the patch before Thursday's release? The changelog needs one more line.

                Thanks,
                Alice
                """).bytes());
        assertThat(spam.scl()).isGreaterThanOrEqualTo(7);
        assertThat(spam.isSpam()).isTrue();
        assertThat(ham.scl()).isLessThanOrEqualTo(1);
        assertThat(ham.category()).isEqualTo(SpamVerdict.NONE);
        assertThat(ham.probability()).isLessThan(spam.probability());
        // The n-gram model takes part and agrees with the Bayes score on both.
        assertThat(spam.symbols()).filteredOn(sym -> sym.name().equals("NGRAM")).singleElement()
                .satisfies(sym -> assertThat(sym.weight()).isPositive());
        assertThat(ham.symbols()).filteredOn(sym -> sym.name().equals("NGRAM")).singleElement()
                .satisfies(sym -> assertThat(sym.weight()).isNegative());
    }

    @Test
    void aShortCleanMessageWithoutDateIsNotSpam() {
        String raw = "From: <grace@tailspin.example>\r\nTo: <alice@onprem.contoso.example>\r\n"
                + "Subject: to on-premises 6f1c2d3e-1111-2222-3333-444455556666\r\nMessage-ID: <6f1c2d3e@test>\r\n\r\n"
                + "body of to on-premises 6f1c2d3e-1111-2222-3333-444455556666\r\n";
        SpamVerdict v = classifier.classify(raw.getBytes(StandardCharsets.US_ASCII));
        assertThat(v.symbols()).extracting(Symbol::name).contains("MISSING_DATE");
        assertThat(v.scl()).isLessThan(5);
        assertThat(v.isSpam()).isFalse();
    }

    @Test
    void oneWeakHeaderAnomalyAloneNeverReachesScl5() {
        // No statistical evidence at all (empty model): the rule weight alone decides.
        var rulesOnly = new SpamClassifier(SpamModel.empty().withCalibration(model.calibration()), () -> NOW);
        assertThat(rulesOnly.classify(new Mail().header("Date", null).bytes()).scl()).isLessThan(5);
        assertThat(rulesOnly.classify(new Mail().header("Message-ID", null).bytes()).scl()).isLessThan(5);
    }

    @Test
    void verdictsAreDeterministic() {
        byte[] raw = new Mail().header("Subject", "Cheap meds online").body("Buy now at http://pills.example/\n")
                .bytes();
        SpamVerdict first = classifier.classify(raw);
        SpamVerdict again = new SpamClassifier(SpamModel.loadDefault(), () -> NOW).classify(raw.clone());
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aMessageWithoutEvidenceIsNotSpam() {
        SpamVerdict v = new SpamClassifier(SpamModel.empty(), () -> NOW).classify(new Mail().bytes());
        assertThat(v.probability()).isEqualTo(0.5);
        assertThat(v.isSpam()).isFalse();
    }
}

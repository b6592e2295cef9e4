package sluice.core.filter.rspamd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Pipeline;
import sluice.core.filter.Stage;
import sluice.core.filter.Symbol;
import sluice.core.filter.Verdict;
import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;
import sluice.core.testing.MemoryPolicies;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stage against canned Rspamd replies from an in-process HTTP server. */
class RspamdStageTest {

    static final String CLEAN = """
            {"is_skipped":false,"score":-0.3,"required_score":15.0,"action":"no action","symbols":{
             "MIME_GOOD":{"name":"MIME_GOOD","score":-0.1,"metric_score":-0.1,"description":"Known content-type","options":["text/plain"]},
             "ARC_NA":{"name":"ARC_NA","score":0.0,"metric_score":0.0,"description":"ARC signature absent"},
             "R_SPF_ALLOW":{"name":"R_SPF_ALLOW","score":-0.2,"metric_score":-0.2,"options":["+ip4:198.51.100.0/24"]},
             "MIME_TRACE":{"name":"MIME_TRACE","score":0.0,"metric_score":0.0,"options":["0:+"]}},
             "messages":{},"message-id":"1@example.net","time_real":0.01}""";
    static final String ADD_HEADER = """
            {"is_skipped":false,"score":6.5,"required_score":15.0,"action":"add header","symbols":{
             "HFILTER_HOSTNAME_UNKNOWN":{"name":"HFILTER_HOSTNAME_UNKNOWN","score":2.5,"metric_score":2.5},
             "FORGED_SENDER":{"name":"FORGED_SENDER","score":0.3,"metric_score":0.3,"options":["a@example.net","x@example.org"]},
             "BAYES_SPAM":{"name":"BAYES_SPAM","score":3.7,"metric_score":3.7,"options":["97.5%"]},
             "RCPT_COUNT_ONE":{"name":"RCPT_COUNT_ONE","score":0.0,"metric_score":0.0,"options":["1"]}},
             "messages":{},"milter":{"add_headers":{"X-Spam":"Yes"}}}""";
    static final String REJECT = """
            {"is_skipped":false,"score":19.2,"required_score":15.0,"action":"reject","symbols":{
             "BAYES_SPAM":{"name":"BAYES_SPAM","score":5.1,"options":["99.9%"]},
             "URIBL_BLACK":{"name":"URIBL_BLACK","score":7.5,"options":["bad.example"]},
             "RBL_SPAMHAUS_ZEN":{"name":"RBL_SPAMHAUS_ZEN","score":6.6,"options":["198.51.100.9:from"]}},
             "messages":{"smtp_message":"Spam message rejected"}}""";
    static final String GTUBE = """
            {"is_skipped":true,"score":15.0,"required_score":15.0,"action":"reject","symbols":{"GTUBE":{"name":"GTUBE","score":0.0,"metric_score":0.0}},"messages":{"smtp_message":"Gtube pattern"},"message-id":"1@example.com","time_real":0.122500}""";

    private final FakeRspamd fake;

    RspamdStageTest() throws Exception {
        fake = new FakeRspamd();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    static Inspection message(boolean internal, String mailFrom, String... rcpts) throws Exception {
        return new Inspection("org", internal, internal ? QueuedMessage.Origin.SUBMISSION : QueuedMessage.Origin.INTERNET,
                InetAddress.getByName("192.0.2.7"), InetAddress.getByName("198.51.100.9"), "mail.example.net", true,
                mailFrom, java.util.Arrays.stream(rcpts).map(Address::parse).toList(),
                "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private Findings inspect(String reply, Facts.Spam builtin) throws Exception {
        fake.answer(200, reply);
        Findings f = new Findings();
        if (builtin != null) f.add(builtin);
        assertThat(stage(Duration.ofSeconds(5)).inspect(message(false, "a@example.net", "b@contoso.example"), f)).isEmpty();
        return f;
    }

    private RspamdStage stage(Duration timeout) {
        return new RspamdStage(RspamdClient.create(fake.url(), timeout));
    }

    @Test
    void cleanReplyRecordsTheNonZeroSymbolsAndKeepsTheBuiltInScl() throws Exception {
        var builtin = new Facts.Spam(1, 0.05, "NONE");
        Findings f = inspect(CLEAN, builtin);
        assertThat(f.symbols()).containsExactly(
                new Symbol("RSPAMD", -0.3, "no action, score -0.30/15.00, SCL 0 (not applied)"),
                new Symbol("RSPAMD_R_SPF_ALLOW", -0.2, "+ip4:198.51.100.0/24"),
                new Symbol("RSPAMD_MIME_GOOD", -0.1, "text/plain"));
        assertThat(f.fact(Facts.Spam.class)).containsSame(builtin);
    }

    @Test
    void addHeaderIsRecordedButDoesNotRaiseTheScl() throws Exception {
        var builtin = new Facts.Spam(2, 0.2, "NONE");
        Findings f = inspect(ADD_HEADER, builtin);
        assertThat(f.symbols()).containsExactly(
                new Symbol("RSPAMD", 6.5, "add header, score 6.50/15.00, SCL 3 (not applied)"),
                new Symbol("RSPAMD_BAYES_SPAM", 3.7, "97.5%"),
                new Symbol("RSPAMD_HFILTER_HOSTNAME_UNKNOWN", 2.5, ""),
                new Symbol("RSPAMD_FORGED_SENDER", 0.3, "a@example.net, x@example.org"));
        assertThat(f.fact(Facts.Spam.class)).containsSame(builtin);
    }

    @Test
    void rejectRaisesTheSclToTheMappedValue() throws Exception {
        Findings f = inspect(REJECT, new Facts.Spam(1, 0.1, "NONE"));
        assertThat(f.symbols()).containsExactly(
                new Symbol("RSPAMD", 19.2, "reject, score 19.20/15.00, SCL 9: Spam message rejected"),
                new Symbol("RSPAMD_URIBL_BLACK", 7.5, "bad.example"),
                new Symbol("RSPAMD_RBL_SPAMHAUS_ZEN", 6.6, "198.51.100.9:from"),
                new Symbol("RSPAMD_BAYES_SPAM", 5.1, "99.9%"));
        assertThat(f.fact(Facts.Spam.class)).contains(new Facts.Spam(9, 0.1, "HSPM"));
    }

    @Test
    void anEarlyRejectKeepsItsZeroScoreSymbolAndIsAtLeastHighConfidenceSpam() throws Exception {
        Findings f = inspect(GTUBE, null);
        assertThat(f.symbols()).containsExactly(
                new Symbol("RSPAMD", 15.0, "reject, score 15.00/15.00, SCL 7: Gtube pattern"),
                new Symbol("RSPAMD_GTUBE", 0.0, ""));
        assertThat(f.fact(Facts.Spam.class)).contains(new Facts.Spam(7, 1.0, "HSPM"));

        var higher = new Facts.Spam(9, 0.999, "HSPM");
        assertThat(inspect(GTUBE, higher).fact(Facts.Spam.class)).containsSame(higher);
    }

    @Test
    void aRejectBelowTheThresholdStillCounts() throws Exception {
        String forced = "{\"score\":2.0,\"required_score\":15.0,\"action\":\"reject\",\"symbols\":{}}";
        assertThat(inspect(forced, new Facts.Spam(0, 0.01, "NONE")).fact(Facts.Spam.class)).contains(new Facts.Spam(7, 0.01, "HSPM"));
    }

    @Test
    void theEnvelopeGoesInRspamdsRequestHeaders() throws Exception {
        fake.answer(200, CLEAN);
        stage(Duration.ofSeconds(5)).inspect(message(false, "a@example.net", "b@contoso.example", "jörg@contoso.example"), new Findings());
        assertThat(fake.path).isEqualTo("/checkv2");
        assertThat(fake.headers.getFirst("IP")).isEqualTo("198.51.100.9");
        assertThat(fake.headers.getFirst("Helo")).isEqualTo("mail.example.net");
        assertThat(fake.headers.getFirst("From")).isEqualTo("a@example.net");
        // the JDK client cannot send UTF-8 header values: an internationalized address is left out
        assertThat(fake.headers.get("Rcpt")).containsExactly("b@contoso.example");
        assertThat(fake.body).isEqualTo("Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));

        stage(Duration.ofSeconds(5)).inspect(message(false, "", "b@contoso.example"), new Findings());
        assertThat(fake.headers.getFirst("From")).isEqualTo("<>");
    }

    @Test
    void aPathInTheUrlIsKept() throws Exception {
        fake.answer(200, CLEAN);
        new RspamdStage(RspamdClient.create(fake.url() + "/rspamd/", Duration.ofSeconds(5)))
                .inspect(message(false, "a@example.net", "b@contoso.example"), new Findings());
        assertThat(fake.path).isEqualTo("/rspamd/checkv2");
    }

    @Test
    void internalMailIsNotSent() throws Exception {
        Findings f = new Findings();
        stage(Duration.ofSeconds(5)).inspect(message(true, "a@example.net", "b@contoso.example"), f);
        assertThat(fake.requests).hasValue(0);
        assertThat(f.symbols()).isEmpty();
    }

    @Test
    void malformedJsonLeavesTheBuiltInVerdict() throws Exception {
        var builtin = new Facts.Spam(3, 0.3, "NONE");
        String broken = "{\"score\":30.0,\"required_score\":15.0,\"action\":\"reject\",\"symbols\":{";
        Findings f = inspect(broken, builtin);
        assertThat(f.symbols()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("RSPAMD_FAILED");
            assertThat(s.weight()).isZero();
            assertThat(s.detail()).isEqualTo(fake.url() + "/checkv2: unreadable reply (bad JSON at offset 65: expected a member name): " + broken);
        });
        assertThat(f.fact(Facts.Spam.class)).containsSame(builtin);

        assertThat(inspect("{\"action\":\"reject\"}", builtin).symbols()).singleElement()
                .extracting(Symbol::detail).asString().contains("reply has no numeric score");
    }

    @Test
    void anHttpErrorLeavesTheBuiltInVerdict() throws Exception {
        fake.answer(500, "{\"error\":\"cannot process message\"}");
        var builtin = new Facts.Spam(3, 0.3, "NONE");
        Findings f = new Findings();
        f.add(builtin);
        stage(Duration.ofSeconds(5)).inspect(message(false, "a@example.net", "b@contoso.example"), f);
        assertThat(f.symbols()).containsExactly(
                new Symbol("RSPAMD_FAILED", 0, fake.url() + "/checkv2: HTTP 500 {\"error\":\"cannot process message\"}"));
        assertThat(f.fact(Facts.Spam.class)).containsSame(builtin);
    }

    @Test
    void aSlowRspamdTimesOut() throws Exception {
        fake.answer(200, REJECT).delay(3000);
        Findings f = new Findings();
        long start = System.nanoTime();
        stage(Duration.ofMillis(300)).inspect(message(false, "a@example.net", "b@contoso.example"), f);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
        assertThat(f.symbols()).containsExactly(new Symbol("RSPAMD_FAILED", 0, fake.url() + "/checkv2: no answer within 300 ms"));
        assertThat(f.fact(Facts.Spam.class)).isEmpty();
    }

    @Test
    void aRefusedConnectionLeavesTheBuiltInVerdict() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Findings f = new Findings();
        new RspamdStage(RspamdClient.create("http://127.0.0.1:" + port, Duration.ofSeconds(2)))
                .inspect(message(false, "a@example.net", "b@contoso.example"), f);
        assertThat(f.symbols()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("RSPAMD_FAILED");
            assertThat(s.detail()).startsWith("http://127.0.0.1:" + port + "/checkv2: ").contains("ConnectException");
        });
    }

    @Test
    void inThePipelineRspamdsRejectMakesHighConfidenceSpamAndItsFailureChangesNothing() throws Exception {
        var policies = new MemoryPolicies();
        Stage builtin = new Stage() {
            @Override
            public String name() {
                return "anti-spam";
            }

            @Override
            public Optional<Verdict> inspect(Inspection m, Findings f) {
                f.add(new Facts.Spam(1, 0.05, "NONE"));
                return Optional.empty();
            }
        };
        var pipeline = new Pipeline(List.of(builtin, stage(Duration.ofSeconds(5))), policies);
        var m = message(false, "a@example.net", "b@contoso.example");

        fake.answer(200, REJECT);
        assertThat(pipeline.inspect(m)).isInstanceOf(Verdict.Quarantine.class)
                .extracting(v -> ((Verdict.Quarantine) v).reason()).isEqualTo(Verdict.QuarantineReason.HIGH_CONFIDENCE_SPAM);

        fake.answer(500, "oops");
        assertThat(pipeline.inspect(m)).isInstanceOfSatisfying(Verdict.Deliver.class, d -> {
            assertThat(d.junk()).isFalse();
            assertThat(d.headers()).anyMatch(h -> h.contains(";SCL:1;") && h.endsWith("SYM:RSPAMD_FAILED"));
        });
    }

    @Test
    void theSclIsLinearWithTheRejectThresholdAtSeven() {
        assertThat(RspamdStage.scl(-5, 15)).isZero();
        assertThat(RspamdStage.scl(0, 15)).isZero();
        assertThat(RspamdStage.scl(6, 15)).isEqualTo(3);
        assertThat(RspamdStage.scl(10.7, 15)).isEqualTo(5);
        assertThat(RspamdStage.scl(15, 15)).isEqualTo(7);
        assertThat(RspamdStage.scl(18.3, 15)).isEqualTo(9);
        assertThat(RspamdStage.scl(100, 15)).isEqualTo(9);
        assertThat(RspamdStage.scl(10, Double.NaN)).isZero();
        assertThat(RspamdStage.scl(10, 0)).isZero();
    }

    @Test
    void symbolNamesArePrefixedAndCleaned() {
        assertThat(RspamdStage.symbolName("R_SPF_ALLOW")).isEqualTo("RSPAMD_R_SPF_ALLOW");
        assertThat(RspamdStage.symbolName("my.custom-rule")).isEqualTo("RSPAMD_MY_CUSTOM_RULE");
    }

    @Test
    void onlyHttpUrlsAreAccepted() {
        for (String bad : List.of("127.0.0.1:11333", "ftp://127.0.0.1/", "http://", "http://[bad"))
            assertThatThrownBy(() -> RspamdClient.create(bad, Duration.ofSeconds(5)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
}

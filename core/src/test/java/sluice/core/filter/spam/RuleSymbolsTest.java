package sluice.core.filter.spam;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule fires on a message crafted for it and stays quiet on the clean default message. */
class RuleSymbolsTest {

    private static final Instant NOW = Instant.parse("2024-09-03T10:00:10Z");

    private static List<Rule> fired(Mail mail) {
        return MessageFeatures.of(mail.bytes(), NOW).hits().stream().map(RuleHit::rule).toList();
    }

    @Test
    void theCleanMessageTriggersNoRule() {
        assertThat(fired(new Mail())).isEmpty();
        assertThat(fired(new Mail().html("<p>Hello Bob, see <a href=\"https://example.org/agenda\">"
                + "example.org</a> for the agenda.</p>").header("Content-Type",
                "multipart/alternative; boundary=b").body("--b\nContent-Type: text/plain\n\nHello Bob\n"
                + "--b\nContent-Type: text/html\n\n<p>Hello <a href=\"https://www.example.org/a\">example.org</a></p>\n"
                + "--b--\n"))).isEmpty();
    }

    static Stream<Arguments> crafted() {
        String image = "<html><body><a href=\"http://example.com/\"><img src=\"http://example.com/offer.jpg\"></a>"
                + "</body></html>";
        return Stream.of(
                Arguments.of(Rule.MISSING_DATE, new Mail().header("Date", null)),
                Arguments.of(Rule.MISSING_MESSAGE_ID, new Mail().header("Message-ID", null)),
                Arguments.of(Rule.DATE_IN_FUTURE, new Mail().header("Date", "Fri, 13 Sep 2024 10:00:00 +0000")),
                Arguments.of(Rule.DATE_IN_PAST, new Mail().header("Date", "Mon, 1 Jan 2024 10:00:00 +0000")),
                Arguments.of(Rule.FORGED_RECEIVED, new Mail().header("Received",
                        "from 10.1.1.1 (unknown [203.0.113.9]) by mx.example.net; Tue, 3 Sep 2024 10:00:05 +0000")),
                Arguments.of(Rule.FORGED_RECEIVED, new Mail().header("Received",
                        "from mail.hotmail.com (dsl-9.example.ru [203.0.113.9]) by mx.example.net; "
                                + "Tue, 3 Sep 2024 10:00:05 +0000")),
                Arguments.of(Rule.FROM_NAME_HAS_ADDRESS,
                        new Mail().header("From", "\"service@paypal.com\" <x123@attacker.example>")),
                Arguments.of(Rule.REPLYTO_OTHER_DOMAIN, new Mail().header("Reply-To", "collect@elsewhere.example")),
                Arguments.of(Rule.HTML_ONLY, new Mail().html("<p>" + "Plenty of ordinary words here. ".repeat(20)
                        + "</p>")),
                Arguments.of(Rule.HTML_IMAGE_LITTLE_TEXT, new Mail().html(image)),
                Arguments.of(Rule.MIXED_SCRIPTS, new Mail().header("Content-Type", "text/plain; charset=utf-8")
                        .body("Your Pаypal аccount is locked\n")),
                Arguments.of(Rule.ZERO_WIDTH_CHARS, new Mail().header("Content-Type", "text/plain; charset=utf-8")
                        .body("Vi\u200Bag\u200Bra for less\n")),
                Arguments.of(Rule.ENTITY_OBFUSCATION, new Mail().html("<p>&#86;&#105;&#97;&#103;&#114;&#97; "
                        + "&#102;&#114;&#101;&#101; now</p>")),
                Arguments.of(Rule.URL_IP_HOST, new Mail().body("Log in at http://203.0.113.5/login now\n")),
                Arguments.of(Rule.URL_TEXT_MISMATCH, new Mail().html(
                        "<p>Sign in at <a href=\"http://login.attacker.example/\">www.paypal.com</a></p>")),
                Arguments.of(Rule.URL_SHORTENER, new Mail().body("Details: https://bit.ly/3xYz12\n")),
                Arguments.of(Rule.SUBJECT_ALL_CAPS, new Mail().header("Subject", "MAKE MONEY FAST WORKING AT HOME")),
                Arguments.of(Rule.GTUBE, new Mail().body(Gtube.STRING + "\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crafted")
    void ruleFiresOnItsCraftedMessage(Rule rule, Mail mail) {
        assertThat(fired(mail)).contains(rule);
    }

    @Test
    void firedRulesAreNamedSymbolsWithTheirWeights() {
        var classifier = new SpamClassifier(SpamModel.empty(), () -> NOW);
        SpamVerdict v = classifier.classify(new Mail().header("Subject", "MAKE MONEY FAST WORKING AT HOME").bytes());
        assertThat(v.symbols()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("SUBJECT_ALL_CAPS");
            assertThat(s.weight()).isEqualTo(Rule.SUBJECT_ALL_CAPS.priorWeight());
            assertThat(s.detail()).contains("capitals");
        });
        assertThat(v.symbols()).extracting(Symbol::name).contains("BAYES");
    }

    @Test
    void nearMissesDoNotFire() {
        assertThat(fired(new Mail().header("Subject", "RE: FYI"))).isEmpty();
        assertThat(fired(new Mail().header("Date", "Tue, 3 Sep 2024 12:00:00 +0200"))).isEmpty();
        assertThat(fired(new Mail().header("Reply-To", "list@lists.example.org"))).isEmpty();
        assertThat(fired(new Mail().header("From", "\"alice@example.org\" <alice@mail.example.org>"))).isEmpty();
        assertThat(fired(new Mail().header("Received", "from mail.example.org ([192.0.2.10]) by mx.example.net; "
                + "Tue, 3 Sep 2024 10:00:05 +0000"))).isEmpty();
    }
}

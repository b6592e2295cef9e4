package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TraitRulesTest {

    private static List<Rule> rules(Mail mail) {
        var hits = new ArrayList<RuleHit>();
        TraitRules.evaluate(MessageParser.parse(mail.bytes()), hits::add);
        return hits.stream().map(RuleHit::rule).toList();
    }

    @Test
    void anOrdinaryMessageHasNoTraits() {
        assertThat(rules(new Mail())).isEmpty();
    }

    @Test
    void dateZonesNoMailClientWrites() {
        assertThat(rules(new Mail().header("Date", "Tue, 3 Sep 2024 09:59:58 +1900"))).contains(Rule.DATE_BAD_ZONE);
        assertThat(rules(new Mail().header("Date", "Tue, 3 Sep 2024 09:59:58 -0517"))).contains(Rule.DATE_BAD_ZONE);
        assertThat(rules(new Mail().header("Date", "Tue, 3 Sep 2024 09:59:58"))).contains(Rule.DATE_BAD_ZONE);
        assertThat(rules(new Mail().header("Date", "Tue, 3 Sep 2024 09:59:58 Pacific"))).contains(Rule.DATE_BAD_ZONE);
        // Real zones, half and three-quarter hours included.
        for (String zone : List.of("+0000", "-0700", "+0530", "+0545", "+1400", "GMT", "EDT", "+0200 (CEST)")) {
            assertThat(rules(new Mail().header("Date", "Tue, 3 Sep 2024 09:59:58 " + zone)))
                    .as(zone).doesNotContain(Rule.DATE_BAD_ZONE);
        }
    }

    @Test
    void exclamationsAndShouting() {
        assertThat(rules(new Mail().header("Subject", "Act now!! Free!"))).contains(Rule.SUBJECT_EXCLAIM);
        assertThat(rules(new Mail().header("Subject", "Done!"))).doesNotContain(Rule.SUBJECT_EXCLAIM);
        assertThat(rules(new Mail().body("Buy!! Now!! Today!!\n"))).contains(Rule.BODY_EXCLAIM);
        assertThat(rules(new Mail().body("Great!! Thanks!!\n"))).doesNotContain(Rule.BODY_EXCLAIM);
        String calm = "this sentence has several ordinary words in it. ".repeat(8); // 40 words of 4+ letters
        assertThat(rules(new Mail().body(calm + "FREE MONEY FAST CLICK HERE NOW\n"))).contains(Rule.BODY_SHOUTING);
        assertThat(rules(new Mail().body(calm + "the NASA and ESA teams met\n"))).doesNotContain(Rule.BODY_SHOUTING);
        // Fewer than 40 words: too short to judge.
        assertThat(rules(new Mail().body("FREE MONEY FAST CLICK HERE NOW\n"))).doesNotContain(Rule.BODY_SHOUTING);
    }

    @Test
    void removeInstructionsAskForAReplyNotAnUnsubscribeLink() {
        assertThat(rules(new Mail().body("To stop these mails, reply with REMOVE in the subject line.\n")))
                .contains(Rule.REMOVE_INSTRUCTIONS);
        assertThat(rules(new Mail().body("Send an e-mail to us with remove as the subject.\n")))
                .contains(Rule.REMOVE_INSTRUCTIONS);
        // How legitimate newsletters unsubscribe.
        assertThat(rules(new Mail().body("To be removed from this list, visit http://news.example/unsubscribe\n")))
                .doesNotContain(Rule.REMOVE_INSTRUCTIONS);
        assertThat(rules(new Mail().body("Please remove the old branch before Friday.\n")))
                .doesNotContain(Rule.REMOVE_INSTRUCTIONS);
    }

    @Test
    void firstHopFromAConsumerPool() {
        Mail pool = new Mail().header("Received", "from smtp.example.net (adsl-81-2-3-4.provider.example [81.2.3.4]) "
                + "by mx.example.net with SMTP; Tue, 3 Sep 2024 10:00:05 +0000");
        assertThat(rules(pool)).contains(Rule.RECEIVED_DYNAMIC);
        // The default first hop is a named mail server; a private address is not an origin.
        assertThat(rules(new Mail())).doesNotContain(Rule.RECEIVED_DYNAMIC);
        Mail lan = new Mail().header("Received", "from pc (ppp-host [192.168.1.5]) by mail.example.org; "
                + "Tue, 3 Sep 2024 10:00:05 +0000");
        assertThat(rules(lan)).doesNotContain(Rule.RECEIVED_DYNAMIC);
    }

    @Test
    void wordsWithDigitsAlsoGiveTheirShape() {
        assertThat(Tokenizer.numberShape("$1,000")).isEqualTo("$9,9");
        assertThat(Tokenizer.numberShape("50%")).isEqualTo("9%");
        assertThat(Tokenizer.numberShape("64mb")).isEqualTo("9a");
        assertThat(Tokenizer.numberShape("555-0123")).isEqualTo("9-9");
        assertThat(Tokenizer.numberShape("meeting")).isNull();
        assertThat(Tokenizer.tokenize(MessageParser.parse(new Mail().body("Only $19.99 today\n").bytes())))
                .contains("num:$9.9");
    }
}

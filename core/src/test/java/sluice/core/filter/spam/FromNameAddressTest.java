package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The address in a From display name (FROM_NAME_HAS_ADDRESS): found in one pass, and exactly the
 * domain the pattern the shipped model was trained with found, on every input.
 */
class FromNameAddressTest {

    /** What HeaderRules used until the scanner replaced it. */
    private static final Pattern TRAINED = Pattern.compile("[\\w.+-]+@([\\w-]+(?:\\.[\\w-]+)+)");

    private static String trained(String name) {
        Matcher m = TRAINED.matcher(name);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void sameDomainAsTheTrainedPatternOnTrickyInputs() {
        List<String> cases = List.of("", "@", "a@", "@b.c", "a@b", "a@b.", "a@.b", "a@b.c", "a@b..c", "a@b.c.", "a@@b.c",
                "a@b@c.d", ".@b.c", "+@b.c", "-@-.-", "_@_._", "a@b-.c-d", "Ann (ann@bank.example) via", "é@b.c", "a@bé.c",
                "a@b.cé", "a@b.\u0301c", "x a@b y c@d.e", "a @b.c", "a@ b.c", "a@b .c", "a@b. c", "ann@bank.example.",
                "\"ann@bank.example\"", "a@b.c@d.e", "a.b@c", "a.b@c.d.e-f_g.h", "a@1.2", "\uD835\uDC00@b.c", "a@b.\uD835\uDC00");
        for (String name : cases) {
            assertThat(HeaderRules.domainOfFirstAddress(name)).as("domain in [%s]", name).isEqualTo(trained(name));
        }
    }

    @Test
    void sameDomainAsTheTrainedPatternOnRandomInputs() {
        String[] alphabet = {"a", "Z", "0", "_", "-", ".", ".", "+", "@", "@", " ", "<", "é", "\u0301", "\uD835\uDC00"};
        Random random = new Random(7208);
        for (int i = 0; i < 300_000; i++) {
            var text = new StringBuilder();
            for (int k = random.nextInt(24); k > 0; k--) text.append(alphabet[random.nextInt(alphabet.length)]);
            String s = text.toString();
            assertThat(HeaderRules.domainOfFirstAddress(s)).as("domain in [%s]", s).isEqualTo(trained(s));
        }
    }

    @Test
    void theRuleStillFiresOnANameThatCarriesAnotherAddress() {
        List<RuleHit> hits = rulesFor("From: \"service@paypal.com\" <x@evil.example>");
        assertThat(hits).anySatisfy(h -> {
            assertThat(h.rule()).isEqualTo(Rule.FROM_NAME_HAS_ADDRESS);
            assertThat(h.detail()).isEqualTo("name says paypal.com, address is at evil.example");
        });
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLongDisplayNameIsReadInOnePass() {
        // adjacent encoded words decode to one run of 16,000 word characters (the parser keeps that
        // much of a field): the pattern took most of a second per message; run for 50 messages
        StringBuilder from = new StringBuilder("From: ");
        for (int i = 0; i < 400; i++) from.append("=?us-ascii?q?").append("a".repeat(40)).append("?=\r\n ");
        from.append("<x@evil.example>");
        for (int i = 0; i < 50; i++) {
            assertThat(rulesFor(from.toString())).noneMatch(h -> h.rule() == Rule.FROM_NAME_HAS_ADDRESS);
        }
    }

    private static List<RuleHit> rulesFor(String fromField) {
        byte[] raw = (fromField + "\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\nMessage-ID: <1@x.example>\r\n"
                + "Subject: hi\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
        List<RuleHit> hits = new ArrayList<>();
        HeaderRules.evaluate(MessageParser.parse(raw), Instant.parse("2026-01-01T01:00:00Z"), hits::add);
        return hits;
    }
}

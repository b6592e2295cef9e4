package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host names of Received fields: found in one pass, and exactly those the pattern the shipped
 * model was trained with found (a different token would change the model), on every input.
 */
class TokenizerHostNamesTest {

    /** What Tokenizer used until the scanner replaced it. */
    private static final Pattern TRAINED = Pattern.compile("(?i)\\b[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)+\\b");

    private static List<String> trained(String text) {
        var found = new ArrayList<String>();
        for (var m = TRAINED.matcher(text); m.find(); ) found.add(m.group());
        return found;
    }

    @Test
    void sameHostsAsTheTrainedPatternOnTrickyInputs() {
        List<String> cases = List.of("", "a", "a.", ".a", "a.b", "a..b", "a.b.", "-a.b", "a-.b", "a.-", "a.-b", "a.b-",
                "a.b-_", "a.b_", "_a.b", "é.a.b", "aé.b", "a.bé", "a.b\u0301", "a\u0301.b", "x\u0301a.b", "-\u0301a.b",
                "a.b-\u0301", "a.-\u0301", "\u0301\u0301a.b", "1.2.3.4", "[192.0.2.10]", "mail.example.org (mail.example.org)",
                "from mx1.Example.NET by smtp-in.example.com", "a.b.c.d.e-f-g.h", "a-a-a.a-a-a-", "a.b\uD835\uDC00",
                "\uD835\uDC00a.b", "a.b\uD834\uDD67", "\uD834\uDD67a.b", "a.b\uDC00", "\uD800a.b", "a._.b", "a.b.c_d.e",
                "ab-.-cd.ef", "--a--.--b--", "K.b", "\u212A.b", "a.\u017Fb", "a.b1-\u0300-c");
        for (String text : cases) {
            assertThat(HostNames.in(text)).as("hosts in [%s]", text).isEqualTo(trained(text));
        }
    }

    @Test
    void sameHostsAsTheTrainedPatternOnRandomInputs() {
        // letters, digits, the separators, word characters that are not label characters, non-ASCII
        // letters, non-spacing marks, supplementary letters and marks, and lone surrogates
        String[] alphabet = {"a", "Z", "0", "-", "-", ".", ".", "_", " ", "@", "[", "é", "\u0301", "\u20D0",
                "\uD835\uDC00", "\uD834\uDD67", "\uD800", "\uDC00", "\u212A"};
        Random random = new Random(2024);
        for (int i = 0; i < 300_000; i++) {
            var text = new StringBuilder();
            for (int k = random.nextInt(30); k > 0; k--) text.append(alphabet[random.nextInt(alphabet.length)]);
            String s = text.toString();
            assertThat(HostNames.in(s)).as("hosts in [%s]", s).isEqualTo(trained(s));
        }
    }

    private static byte[] receivedFields(String value, int count) {
        return (("Received: " + value + "\r\n").repeat(count) + "From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void longRunsOfHyphenatedLabelsAreScannedInOnePass() {
        // the pattern retried such a run from each of its letters, down every suffix: seconds per field
        String value = "from " + "a-".repeat(8_000) + "a by mx.example.net with ESMTP";
        var tokens = Tokenizer.tokenize(MessageParser.parse(receivedFields(value, 8)));

        assertThat(tokens).contains("received:example.net", "received:mx.example.net", "received:count:8");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void thousandsOfLabelsDoNotOverflowTheStack() throws Exception {
        // one nested call per label in the pattern: a virtual thread's stack overflowed at about 2,000
        byte[] message = receivedFields("from " + "a.".repeat(7_000) + "b by mx.example.net", 1);
        java.util.Set<String> tokens;
        try (var virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            tokens = virtual.submit(() -> Tokenizer.tokenize(MessageParser.parse(message))).get(10, TimeUnit.SECONDS);
        }

        assertThat(tokens).contains("received:a.b", "received:a.a.b", "received:a.a.a.b", "received:mx.example.net");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHugeDateFieldHasItsZoneReadFromItsEnd() {
        // the zone pattern retried from every position: about a third of a second for the 16K the parser keeps
        String message = "Date: " + "A".repeat(15_000) + " Mon, 1 Jan 2024 10:00:00 +0100 (CET)\r\nFrom: a@example.org\r\n\r\nhi\r\n";
        var tokens = Tokenizer.tokenize(MessageParser.parse(message.getBytes(StandardCharsets.US_ASCII)));

        assertThat(tokens).contains("date:zone:+0100");
    }
}

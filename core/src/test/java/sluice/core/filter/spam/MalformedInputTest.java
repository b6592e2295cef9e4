package sluice.core.filter.spam;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Whatever arrives, the classifier answers with a verdict and does not throw. */
class MalformedInputTest {

    private static SpamClassifier classifier;

    @BeforeAll
    static void load() {
        classifier = new SpamClassifier(SpamModel.loadDefault(), () -> Instant.parse("2024-09-03T10:00:00Z"));
    }

    static Stream<byte[]> malformed() {
        var random = new Random(42);
        byte[] junk = new byte[200_000];
        random.nextBytes(junk);
        String manyHeaders = "X-Filler: value\r\n".repeat(100_000);
        String hugeHeader = "Subject: " + "A".repeat(3_000_000) + "\r\n\r\nbody\r\n";
        String deep = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n".repeat(2_000);
        return Stream.of(
                new byte[0],
                "\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "no headers at all, just text".getBytes(StandardCharsets.US_ASCII),
                junk,
                (manyHeaders + "\r\nbody").getBytes(StandardCharsets.US_ASCII),
                hugeHeader.getBytes(StandardCharsets.US_ASCII),
                deep.getBytes(StandardCharsets.US_ASCII),
                new Mail().header("Content-Type", "multipart/alternative; boundary=\"never-closed\"")
                        .body("--never-closed\nContent-Type: text/html\n\n<a href=\"http://\n<img src=").bytes(),
                new Mail().header("Content-Transfer-Encoding", "base64").body("!!!! not base64 @@@@ ====\n").bytes(),
                new Mail().header("Content-Type", "text/plain; charset=no-such-charset").body("caf\u00e9\n").bytes(),
                new Mail().header("From", "<@@@>").header("Reply-To", "\"\" <.>").header("Date", "99 Foo 99999 99:99")
                        .header("Received", "from [ (").header("Message-ID", "<>").bytes(),
                new Mail().html("<a href=\"http://" + ".".repeat(5000) + "\">&#99999999999;&#x;&</a><" + "<".repeat(10_000))
                        .bytes(),
                new Mail().body("\u0000\u0001\u0002 http://[::1 http://300.300.300.300/ www.\n").bytes());
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void neverThrowsAndAlwaysGivesAValidVerdict(byte[] raw) {
        assertThatCode(() -> {
            SpamVerdict v = classifier.classify(raw);
            assertThat(v.scl()).isBetween(0, 9);
            assertThat(v.probability()).isBetween(0.0, 1.0);
        }).doesNotThrowAnyException();
    }

    @Test
    void randomMutationsOfARealMessageNeverThrow() {
        byte[] base = new Mail().header("Content-Type", "multipart/alternative; boundary=\"b\"").body("""
                --b
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Hello =C3=A9 world http://example.com/a
                --b
                Content-Type: text/html; charset=utf-8
                Content-Transfer-Encoding: base64

                PGh0bWw+PGJvZHk+PGEgaHJlZj0iaHR0cDovL2V4YW1wbGUuY29tLyI+aGk8L2E+PC9ib2R5PjwvaHRtbD4=
                --b--
                """).bytes();
        var random = new Random(7);
        for (int round = 0; round < 300; round++) {
            byte[] mutated = base.clone();
            for (int k = 0; k < 1 + random.nextInt(20); k++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            byte[] cut = java.util.Arrays.copyOf(mutated, random.nextInt(mutated.length + 1));
            assertThatCode(() -> classifier.classify(cut)).doesNotThrowAnyException();
        }
    }

    @Test
    void textBeyondTheCapIsIgnored() {
        String words = "lorem ipsum dolor sit amet ".repeat(200_000);
        ParsedMessage m = MessageParser.parse(new Mail().body(words).bytes());
        assertThat(m.plainText().length()).isLessThanOrEqualTo(MessageParser.MAX_TEXT_CHARS + 1);
        assertThat(m.truncated()).isTrue();
        assertThat(Tokenizer.tokenize(m).size()).isLessThanOrEqualTo(Tokenizer.MAX_TOKENS);
    }
}

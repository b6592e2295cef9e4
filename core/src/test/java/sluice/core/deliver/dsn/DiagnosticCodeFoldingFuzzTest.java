package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a server replies, every line of the folded Diagnostic-Code stays within 998 octets, no line is blank,
 * each continuation begins with whitespace, and unfolding gives back the reply or a prefix of it followed by
 * "...". Trailing whitespace that does not fit is where it went wrong once: it is no fold point, and cutting it
 * gave a line of 999 to 1001 octets. The fuzzing is seeded, so a failure is the same on every run.
 */
class DiagnosticCodeFoldingFuzzTest {

    /** What is wrong with the folded {@code value}: nothing when the list is empty. */
    private static List<String> problems(String value) {
        StringBuilder m = new StringBuilder();
        ReportLines.field(m, "Diagnostic-Code", value);
        String out = m.toString();
        List<String> problems = new ArrayList<>();
        List<String> lines = Arrays.asList(out.substring(0, out.length() - 2).split("\r\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int octets = l.getBytes(StandardCharsets.UTF_8).length;
            if (octets > ReportLines.MAX_LINE) problems.add("line " + i + " has " + octets + " octets");
            if (l.isBlank()) problems.add("line " + i + " is blank");
            if (i > 0 && !(l.startsWith(" ") || l.startsWith("\t"))) problems.add("line " + i + " continues without whitespace");
        }
        String unfolded = out.substring("Diagnostic-Code: ".length(), out.length() - 2).replaceAll("\r\n(?=[ \t])", "");
        String v = value.replaceAll("[\\r\\n]+", " ");
        boolean whole = unfolded.equals(v);
        boolean cut = unfolded.endsWith(ReportLines.CUT)
                && v.startsWith(unfolded.substring(0, unfolded.length() - ReportLines.CUT.length()));
        if (!whole && !cut) problems.add("unfolded is neither the value nor a prefix of it with \"...\"");
        return problems;
    }

    @Test
    void trailingWhitespaceThatDoesNotFitGivesNoLineOverTheLimit() {
        // the reviewer's case: 1000 octets before the fix
        assertThat(problems("smtp; 550 " + "é".repeat(498) + "  ")).isEmpty();
        for (int word = 990; word <= 999; word++) {
            for (int spaces = 1; spaces <= 6; spaces++) {
                assertThat(problems("smtp; 550 " + "x".repeat(word) + " ".repeat(spaces))).as("%d + %d", word, spaces).isEmpty();
            }
        }
        for (int word = 490; word <= 500; word++) {
            for (int spaces = 1; spaces <= 6; spaces++) {
                assertThat(problems("smtp; 550 " + "é".repeat(word) + " ".repeat(spaces))).as("é %d + %d", word, spaces).isEmpty();
            }
        }
    }

    @Test
    void randomRepliesFoldWithinTheLimit() {
        Random random = new Random(42);
        String[] alphabet = {"a", "b", " ", "  ", "\t", "é", "漢", "😀", "\r\n", ";", "x"};
        for (int n = 0; n < 5000; n++) {
            StringBuilder sb = new StringBuilder("smtp; 550 ");
            int length = random.nextInt(1400);
            int mode = random.nextInt(3);
            for (int i = 0; i < length; i++) {
                if (mode == 0) sb.append(alphabet[random.nextInt(alphabet.length)]);
                else if (mode == 1) sb.append(random.nextInt(300) == 0 ? " " : alphabet[random.nextBoolean() ? 0 : 6]);
                else sb.append(random.nextInt(500) == 0 ? (random.nextBoolean() ? " " : "\t") : "😀");
            }
            if (random.nextBoolean()) sb.append(" ".repeat(random.nextInt(8)));
            String value = sb.toString();
            assertThat(problems(value)).as("value %d of length %d", n, value.length()).isEmpty();
        }
    }
}

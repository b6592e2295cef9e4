package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long Diagnostic-Code is folded so that its lines stay within 998 octets, and unfolding it (RFC 5322
 * section 2.2.3: removing each CRLF before a space or tab) gives back the server's reply byte for byte:
 * runs of spaces and tabs kept, long words unbroken. Only a word too long for any line cannot be given
 * back whole; the value then ends with what fits and "...".
 */
class DiagnosticCodeFoldingTest {

    private static final String PREFIX = "Diagnostic-Code: ";

    private static String folded(String value) {
        StringBuilder m = new StringBuilder();
        ReportLines.field(m, "Diagnostic-Code", value);
        String out = m.toString();
        assertThat(out).startsWith(PREFIX).endsWith("\r\n");
        List<String> lines = Arrays.asList(out.substring(0, out.length() - 2).split("\r\n", -1));
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ReportLines.MAX_LINE);
            assertThat(l).as("a line of whitespace only").isNotBlank();
        });
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).matches("^[ \t].*"));
        return out;
    }

    private static String unfolded(String field) {
        return field.substring(PREFIX.length(), field.length() - 2).replaceAll("\r\n(?=[ \t])", "");
    }

    @Test
    void runsOfSpacesAndTabsAreKeptWhereTheFieldIsFolded() {
        // under the 1000 characters carried, over the 998 octets of one line
        String reply = "smtp; 550 5.7.1 " + "Nachricht  abgewiesen:\t€€€€€€€€€€€€€€€€   Richtlinie \t siehe  https://example.test/ ".repeat(10)
                + " end";
        assertThat(reply.length()).isLessThanOrEqualTo(ReportLines.MAX_DIAGNOSTIC);
        assertThat(reply.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(ReportLines.MAX_LINE);
        String field = folded(reply);
        assertThat(field.split("\r\n")).hasSizeGreaterThan(5);
        assertThat(unfolded(field)).isEqualTo(reply);
    }

    @Test
    void aWordOfSeveralHundredCharactersIsNotBrokenUp() {
        String reply = "smtp; 451 4.7.1 listed, see token=" + "abcdefghij".repeat(50) + " and  then " + "x".repeat(440) + " more";
        assertThat(PREFIX.length() + reply.length()).isGreaterThan(ReportLines.MAX_LINE);
        String field = folded(reply);
        assertThat(unfolded(field)).isEqualTo(reply);
        assertThat(field).contains("abcdefghij".repeat(50)).contains("x".repeat(440));
    }

    @Test
    void aWordTooLongForAnyLineEndsTheValueMarkedAsCut() {
        String word = "y".repeat(995);
        String reply = "smtp; 451 4.7.1 see " + word + " after";
        String field = folded(reply);
        String value = unfolded(field);
        assertThat(value).endsWith(ReportLines.CUT);
        String kept = value.substring(0, value.length() - ReportLines.CUT.length());
        assertThat(reply).startsWith(kept);
        assertThat(kept).startsWith("smtp; 451 4.7.1 see " + "y".repeat(900));
    }

    @Test
    void aValueOverTheLimitIsCutThereAndMarked() {
        String reply = "smtp; 451 4.3.0 " + "word  ".repeat(400);
        String value = unfolded(folded(reply));
        assertThat(value).hasSize(ReportLines.MAX_DIAGNOSTIC + ReportLines.CUT.length())
                .isEqualTo(reply.substring(0, ReportLines.MAX_DIAGNOSTIC) + ReportLines.CUT);
    }

    @Test
    void charactersOutsideTheBmpAreNeitherSplitNorLost() {
        String emoji = "\uD83D\uDE00";
        String reply = "smtp; 550 5.7.1 " + (emoji.repeat(30) + "  ").repeat(12);
        String field = folded(reply);
        assertThat(unfolded(field)).isEqualTo(reply);
        assertThat(field).doesNotContain("?");

        String tooLong = "smtp; 550 5.7.1 " + emoji.repeat(400); // 1600 octets without whitespace
        String cut = unfolded(folded(tooLong));
        assertThat(cut).endsWith(ReportLines.CUT).doesNotContain("?");
        String kept = cut.substring(0, cut.length() - ReportLines.CUT.length());
        assertThat(tooLong).startsWith(kept);
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    }

    @Test
    void trailingWhitespaceStaysOnTheLastLine() {
        String reply = "smtp; 451 4.4.1 " + "later ".repeat(161) + "   ";
        assertThat(PREFIX.length() + reply.length()).isGreaterThan(ReportLines.MAX_LINE);
        assertThat(unfolded(folded(reply))).isEqualTo(reply);
    }

    /** C0 and C1 controls (U+009B is a one-character CSI to some terminals) and DEL become '?'; TAB and text stay. */
    @Test
    void controlCharactersOfBothSetsBecomeQuestionMarks() {
        String out = folded("550 \u0000x\u001b[2J\u007f\u0080\u009b31m\u009f\u00a0caf\u00e9\tok");
        assertThat(out).isEqualTo(PREFIX + "550 ?x?[2J???31m?\u00a0caf\u00e9\tok\r\n");
    }
}

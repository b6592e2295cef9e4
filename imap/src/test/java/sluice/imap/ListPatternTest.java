package sluice.imap;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ListPatternTest {

    private static boolean match(String pattern, String name) {
        return ListPattern.of(pattern, '/').matches(name, false);
    }

    @Test
    void starCrossesLevelsPercentDoesNot() {
        assertThat(match("*", "Archive/2025/Q1")).isTrue();
        assertThat(match("%", "Archive")).isTrue();
        assertThat(match("%", "Archive/2025")).isFalse();
        assertThat(match("Archive/%", "Archive/2025")).isTrue();
        assertThat(match("Archive/%", "Archive/2025/Q1")).isFalse();
        assertThat(match("A*1", "Archive/2025/Q1")).isTrue();
        assertThat(match("A%1", "Archive/2025/Q1")).isFalse();
        assertThat(match("Sent", "Sent")).isTrue();
        assertThat(match("Sent", "sent")).as("names match as written").isFalse();
        assertThat(ListPattern.of("inbox", '/').matches("INBOX", true)).as("INBOX in any case").isTrue();
        assertThat(match("", "Sent")).isFalse();
        assertThat(match("%*%", "")).isTrue();
    }

    @Test
    void runsOfWildcardsAreFoldedAndAPathologicalPatternEndsAtOnce() {
        assertThat(match("*%*%", "a/b")).as("a run with * is *").isTrue();
        assertThat(match("%%%", "a/b")).as("a run of % is %").isFalse();
        String name = "a".repeat(255);
        String pattern = "*a".repeat(200) + "%!";
        // as a regular expression this backtracks for longer than anyone waits; here it is one pass
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(match(pattern, name)).isFalse());
        assertThatThrownBy(() -> ListPattern.of("x".repeat(ListPattern.MAX_LENGTH + 1), '/'))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ListPattern.of("*%".repeat(10_000), '/').matches(name, false)).as("folds to one *").isTrue();
    }
}

package sluice.core.filter.rspamd;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void readsTheValuesRspamdSends() {
        assertThat(Json.parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": \"x\\\"\\u00e9\\n\", \"c\": {}} "))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1.0, -25.0, true, false, null), "b", "x\"é\n", "c", Map.of()));
        assertThat(Json.parse("[]")).isEqualTo(List.of());
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "NaN", "01", "1.", "\"\u0001\"",
                "\"\\x\"", "tru", "{a:1}", "[".repeat(40) + "]".repeat(40)))
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
}

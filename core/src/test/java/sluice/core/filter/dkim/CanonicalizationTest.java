package sluice.core.filter.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6376 section 3.4.5 examples and the empty-body rules of 3.4.3 / 3.4.4. */
class CanonicalizationTest {

    private static String body(Canonicalization c, String s) {
        return new String(c.body(s.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
    }

    @Test
    void relaxedHeadersFromTheRfcExample() {
        assertThat(Canonicalization.RELAXED.header("A: X")).isEqualTo("a:X\r\n");
        assertThat(Canonicalization.RELAXED.header("B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z\r\n");
    }

    @Test
    void simpleHeadersAreUnchanged() {
        assertThat(Canonicalization.SIMPLE.header("B : Y\t\r\n\tZ  ")).isEqualTo("B : Y\t\r\n\tZ  \r\n");
    }

    @Test
    void bodiesFromTheRfcExample() {
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        assertThat(body(Canonicalization.RELAXED, body)).isEqualTo(" C\r\nD E\r\n");
        assertThat(body(Canonicalization.SIMPLE, body)).isEqualTo(" C \r\nD \t E\r\n");
    }

    @Test
    void emptyBodies() {
        assertThat(body(Canonicalization.SIMPLE, "")).isEqualTo("\r\n");
        assertThat(body(Canonicalization.RELAXED, "")).isEmpty();
        assertThat(body(Canonicalization.RELAXED, "\r\n\r\n")).isEmpty();
    }

    @Test
    void aMissingFinalLineEndIsAdded() {
        assertThat(body(Canonicalization.RELAXED, "last")).isEqualTo("last\r\n");
        assertThat(body(Canonicalization.SIMPLE, "last")).isEqualTo("last\r\n");
    }
}

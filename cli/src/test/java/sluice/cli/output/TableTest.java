package sluice.cli.output;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

    @Test
    void columnsAreAlignedUnderTheirHeaders() {
        StringWriter s = new StringWriter();
        new Table(List.of("Name", "Type", "Id"))
                .row(List.of("contoso.example", "Authoritative", "1"))
                .row(List.of("a.example", "InternalRelay", "22"))
                .print(new PrintWriter(s));
        assertThat(s.toString().lines().toList()).containsExactly(
                "Name             Type           Id",
                "---------------  -------------  --",
                "contoso.example  Authoritative  1",
                "a.example        InternalRelay  22");
    }

    @Test
    void cellsStayOnOneLine() {
        StringWriter s = new StringWriter();
        new Table(List.of("Reply")).row(List.of("451 4.4.1\r\nsecond line " + "x".repeat(200))).print(new PrintWriter(s));
        assertThat(s.toString().lines()).hasSize(3);
        assertThat(s.toString().lines().toList().get(2)).startsWith("451 4.4.1 second line").endsWith("...").hasSize(80);
    }

    @Test
    void sizesAndQuotas() {
        assertThat(Formats.bytes(2L << 30)).isEqualTo("2 GB");
        assertThat(Formats.bytes(1536)).isEqualTo("1.5 KB");
        assertThat(Formats.bytes(12)).isEqualTo("12 B");
        assertThat(Formats.quota(0)).isEqualTo("Unlimited");
        assertThat(Formats.time("2025-01-31T08:00:00.123456Z")).isEqualTo("2025-01-31T08:00:00Z");
    }
}

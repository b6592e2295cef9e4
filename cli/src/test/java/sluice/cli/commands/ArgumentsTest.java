package sluice.cli.commands;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The values people type: sizes with units, times absolute or ago, ids versus names. */
class ArgumentsTest {

    @Test
    void sizesUseBinaryUnitsAsExchangeDoes() {
        assertThat(Sizes.parse("2GB")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("2 gb")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("500MB")).isEqualTo(500L << 20);
        assertThat(Sizes.parse("1.5KB")).isEqualTo(1536);
        assertThat(Sizes.parse("2GiB")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("1024")).isEqualTo(1024);
        assertThat(Sizes.parse("unlimited")).isZero();
        assertThatThrownBy(() -> Sizes.parse("lots")).isInstanceOf(TypeConversionException.class).hasMessageContaining("2GB");
        assertThatThrownBy(() -> Sizes.parse("99999999TB")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void timesAreIsoOrAgo() {
        Instant now = Instant.parse("2025-01-31T12:00:00Z");
        assertThat(Times.parse("2h", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-01-31T10:00:00Z"));
        assertThat(Times.parse("1d", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-01-30T12:00:00Z"));
        assertThat(Times.parse("30m", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-01-31T11:30:00Z"));
        assertThat(Times.parse("2025-01-31T08:00:00Z", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-01-31T08:00:00Z"));
        assertThat(Times.parse("2025-01-31T08:00:00+01:00", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-01-31T07:00:00Z"));
        assertThat(Times.parse("2025-01-31", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-01-31T00:00:00Z"));
        assertThatThrownBy(() -> Times.parse("yesterday", now, ZoneOffset.UTC)).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void expiryTimesCountForward() {
        Instant now = Instant.parse("2025-01-31T12:00:00Z");
        assertThat(Times.parseFuture("90d", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-05-01T12:00:00Z"));
        assertThat(Times.parseFuture("12h", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
        assertThat(Times.parseFuture("2026-01-31", now, ZoneOffset.UTC)).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
        assertThatThrownBy(() -> Times.parseFuture("someday", now, ZoneOffset.UTC)).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void onlyUuidsAreIds() {
        assertThat(Identity.isId("0f8fad5b-d9cb-469f-a165-70867728950e")).isTrue();
        assertThat(Identity.isId("contoso.example")).isFalse();
        assertThat(Identity.isId("1-1-1-1-1")).isFalse();
    }

    @Test
    void ipRangesAndFileTypesMatchHoweverTheyAreSpelled() {
        assertThat(PolicyCommand.sameRange("192.0.2.1", "192.0.2.1/32")).isTrue();
        assertThat(PolicyCommand.sameRange("2001:DB8::/32", "2001:db8:0:0:0:0:0:0/32")).isTrue();
        assertThat(PolicyCommand.sameRange("2001:db8::1/128", "2001:db8:0:0:0:0:0:1")).isTrue();
        assertThat(PolicyCommand.sameRange("192.0.2.0/24", "192.0.2.0")).isFalse();
        assertThat(PolicyCommand.sameFileType(".EXE", "exe")).isTrue();
    }
}

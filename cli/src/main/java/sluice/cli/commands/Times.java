package sluice.cli.commands;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --from}/{@code --to} of a trace search: an ISO instant ({@code 2025-01-31T08:00:00Z}), a local
 * date-time or date, or a time ago ({@code 30m}, {@code 2h}, {@code 1d}, {@code 1w}).
 */
final class Times implements ITypeConverter<Instant> {

    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*([smhdw])");

    @Override
    public Instant convert(String value) {
        return parse(value, Instant.now(), ZoneId.systemDefault());
    }

    static Instant parse(String value, Instant now, ZoneId zone) {
        Duration d = duration(value);
        if (d != null) return now.minus(d);
        return absolute(value, zone);
    }

    /** {@code --expires-at}: the same absolute forms, but {@code 30d} means 30 days from now. */
    static Instant parseFuture(String value, Instant now, ZoneId zone) {
        Duration d = duration(value);
        if (d != null) return now.plus(d);
        return absolute(value, zone);
    }

    /** Converts {@code --expires-at}. */
    static final class Future implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return parseFuture(value, Instant.now(), ZoneId.systemDefault());
        }
    }

    private static Duration duration(String value) {
        Matcher m = AGO.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    private static Instant absolute(String value, ZoneId zone) {
        String v = value.strip();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return LocalDate.parse(v).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a time: give 2025-01-31T08:00:00Z, 2025-01-31, or a time ago like 2h or 1d");
        }
    }
}

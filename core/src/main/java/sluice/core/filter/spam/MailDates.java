package sluice.core.filter.spam;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient RFC 5322 date parsing for header checks. Real Date headers carry two-digit years,
 * obsolete zone names and offsets like -1600; java.time's RFC 1123 formatter rejects too many of
 * them, and a rule must not fire just because our parser is strict.
 */
final class MailDates {

    private static final Pattern DATE = Pattern.compile(
            "(\\d{1,2})\\s+([A-Za-z]{3})[a-z]*\\s+(\\d{2,4})\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([+-]\\d{4}|[A-Za-z]{1,5})?");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final Map<String, Integer> ZONES = Map.ofEntries(Map.entry("gmt", 0),
            Map.entry("ut", 0), Map.entry("utc", 0), Map.entry("est", -5), Map.entry("edt", -4), Map.entry("cst", -6),
            Map.entry("cdt", -5), Map.entry("mst", -7), Map.entry("mdt", -6), Map.entry("pst", -8), Map.entry("pdt", -7));

    private MailDates() {
    }

    /** The instant a date string denotes, or null when it cannot be read. */
    static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = DATE.matcher(value);
        if (!m.find()) {
            return null;
        }
        int month = MONTHS.indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        int day = Integer.parseInt(m.group(1));
        int year = Integer.parseInt(m.group(3));
        int hour = Integer.parseInt(m.group(4));
        int minute = Integer.parseInt(m.group(5));
        int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        if (month == 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
            return null;
        }
        year = year < 50 ? year + 2000 : year < 1000 ? year + 1900 : year;
        try {
            LocalDateTime local = LocalDateTime.of(year, month, Math.min(day, 28), hour, minute, Math.min(second, 59))
                    .plusDays(Math.max(0, day - 28));
            return local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds(m.group(7)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long offsetSeconds(String zone) {
        if (zone == null) {
            return 0;
        }
        if (zone.startsWith("+") || zone.startsWith("-")) {
            int hhmm = Integer.parseInt(zone.substring(1));
            long seconds = (hhmm / 100) * 3600L + (hhmm % 100) * 60L;
            return zone.startsWith("-") ? -seconds : seconds;
        }
        return ZONES.getOrDefault(zone.toLowerCase(Locale.ROOT), 0) * 3600L;
    }

    /** The date after the last ';' of a Received header. */
    static Instant ofReceived(String received) {
        int semi = received.lastIndexOf(';');
        return semi < 0 ? null : parse(received.substring(semi + 1));
    }
}

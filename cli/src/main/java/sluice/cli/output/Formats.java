package sluice.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How values read in tables: sizes with binary units, instants to the second in UTC, lists comma-separated. */
public final class Formats {

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    private Formats() {
    }

    /** Text of a JSON value: null/missing as "", arrays comma-separated, objects as compact JSON. */
    public static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "";
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(e -> parts.add(text(e)));
            return String.join(", ", parts);
        }
        if (n.isValueNode()) return n.asText();
        return n.toString();
    }

    /** 2147483648 → "2 GB", 1536 → "1.5 KB"; binary units as Exchange uses them. */
    public static String bytes(long bytes) {
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        String number = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return number + " " + UNITS[unit];
    }

    /** A mailbox quota: 0 means unlimited. */
    public static String quota(long bytes) {
        return bytes <= 0 ? "Unlimited" : bytes(bytes);
    }

    /** An ISO instant from the API, to the second ("2025-01-31T08:00:00Z"); "" for null. */
    public static String time(String iso) {
        if (iso == null || iso.isEmpty() || iso.equals("null")) return "";
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** "domainName" → "DomainName", as Exchange's Format-List shows properties. */
    public static String property(String field) {
        return field.isEmpty() ? field : Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }
}

package sluice.core.filter.spoof.dmarc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A DMARC policy record (RFC 7489 section 6.3). Reporting tags (rua, ruf, fo, rf, ri) are parsed as
 * far as shown to an admin; no reports are sent.
 *
 * @param policy          p=
 * @param subdomainPolicy sp=, or p= when absent
 * @param percent         pct=, 0 to 100
 * @param strictDkim      adkim=s
 * @param strictSpf       aspf=s
 * @param rua             aggregate report addresses, as written
 */
public record DmarcRecord(Disposition policy, Disposition subdomainPolicy, int percent, boolean strictDkim, boolean strictSpf,
                          List<String> rua) {

    private static final Pattern VERSION = Pattern.compile("(?i)v\\s*=\\s*DMARC1\\s*(;.*)?");
    private static final Pattern PERCENT = Pattern.compile("\\d{1,3}");

    /** True when a TXT string is a DMARC record: "v=DMARC1" first (section 6.6.3). */
    static boolean isDmarc(String txt) {
        return VERSION.matcher(txt.strip()).matches();
    }

    /**
     * Parses a record; {@link IllegalArgumentException} when it is unusable. A missing or invalid p=
     * with a valid rua= is read as p=none (section 6.6.3).
     */
    static DmarcRecord parse(String txt) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String spec : txt.split(";")) {
            if (spec.isBlank()) continue;
            int eq = spec.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("tag without '=': '" + spec.strip() + "'");
            tags.putIfAbsent(spec.substring(0, eq).strip().toLowerCase(Locale.ROOT), spec.substring(eq + 1).strip());
        }
        List<String> rua = tags.containsKey("rua") ? uris(tags.get("rua")) : List.of();
        Disposition p = Disposition.parse(tags.get("p"));
        if (p == null) {
            if (rua.isEmpty()) throw new IllegalArgumentException("p= is " + (tags.containsKey("p") ? "invalid: " + tags.get("p") : "missing"));
            p = Disposition.NONE;
        }
        Disposition sp = tags.containsKey("sp") ? Disposition.parse(tags.get("sp")) : p;
        if (sp == null) sp = p; // an invalid sp= is ignored
        int pct = 100;
        if (tags.containsKey("pct")) {
            if (!PERCENT.matcher(tags.get("pct")).matches() || Integer.parseInt(tags.get("pct")) > 100)
                throw new IllegalArgumentException("pct= must be 0 to 100, not " + tags.get("pct"));
            pct = Integer.parseInt(tags.get("pct"));
        }
        return new DmarcRecord(p, sp, pct, "s".equalsIgnoreCase(tags.get("adkim")), "s".equalsIgnoreCase(tags.get("aspf")), rua);
    }

    /**
     * A comma-separated URI list (section 6.4), each stripped. Split on the comma alone: a pattern with
     * "\\s*" on both sides backtracks quadratically over a long run of spaces the domain owner wrote.
     */
    private static List<String> uris(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
    }
}

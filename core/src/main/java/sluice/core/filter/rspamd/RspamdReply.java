package sluice.core.filter.rspamd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rspamd's answer to {@code /checkv2}, reduced to what the pipeline uses.
 *
 * @param score         the message's total score
 * @param requiredScore the score of Rspamd's "reject" action (NaN when that action is disabled)
 * @param action        "no action", "greylist", "add header", "rewrite subject", "soft reject", "reject"
 *                      (or a custom action of the Rspamd configuration)
 * @param skipped       Rspamd stopped early (a pre-result such as GTUBE, or a settings rule)
 * @param symbols       the symbols that matched, strongest first (by absolute score, then name)
 * @param message       the SMTP message Rspamd suggests for a refusal ("" when none)
 */
public record RspamdReply(double score, double requiredScore, String action, boolean skipped,
                          List<RspamdSymbol> symbols, String message) {

    public RspamdReply {
        Objects.requireNonNull(action);
        symbols = symbols.stream()
                .sorted(Comparator.comparingDouble((RspamdSymbol s) -> -Math.abs(s.score())).thenComparing(RspamdSymbol::name))
                .toList();
        Objects.requireNonNull(message);
    }

    /** @param options Rspamd's options for the symbol (the matched address, domain, ...) */
    public record RspamdSymbol(String name, double score, List<String> options) {
        public RspamdSymbol {
            Objects.requireNonNull(name);
            options = List.copyOf(options);
        }
    }

    /** Reads a {@code /checkv2} JSON body; throws {@link IllegalArgumentException} when it is not one. */
    static RspamdReply parse(String json) {
        if (!(Json.parse(json) instanceof Map<?, ?> root)) throw new IllegalArgumentException("reply is not a JSON object");
        double score = number(root.get("score"), "score");
        Object required = root.get("required_score");
        if (!(root.get("action") instanceof String action)) throw new IllegalArgumentException("reply has no action");
        List<RspamdSymbol> symbols = new ArrayList<>();
        if (root.get("symbols") instanceof Map<?, ?> map) {
            for (var e : map.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> sym)) throw new IllegalArgumentException("bad symbol " + e.getKey());
                List<String> options = sym.get("options") instanceof List<?> l
                        ? l.stream().map(String::valueOf).toList() : List.of();
                symbols.add(new RspamdSymbol(String.valueOf(e.getKey()), number(sym.get("score"), "symbol score"), options));
            }
        }
        String message = root.get("messages") instanceof Map<?, ?> m && m.get("smtp_message") instanceof String s ? s : "";
        return new RspamdReply(score, required == null ? Double.NaN : number(required, "required_score"), action,
                Boolean.TRUE.equals(root.get("is_skipped")), symbols, message);
    }

    private static double number(Object v, String what) {
        if (v instanceof Double d) return d;
        throw new IllegalArgumentException("reply has no numeric " + what);
    }
}

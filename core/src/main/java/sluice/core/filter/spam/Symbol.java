package sluice.core.filter.spam;

import java.util.Objects;

/**
 * A named finding of the spam filter: a rule that fired (e.g. {@code MISSING_DATE}) or the
 * statistical model's contribution ({@code BAYES}), with the weight it added to the spam log-odds
 * and a short human-readable detail for the antispam report header.
 *
 * @param name   upper-case rule name, stable across releases (policies and reports refer to it)
 * @param weight contribution to the log-odds of spam; negative values argue for ham
 * @param detail what was seen, safe to show to the recipient's administrator (never the body)
 */
public record Symbol(String name, double weight, String detail) {
    public Symbol {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
        if (name.isBlank()) {
            throw new IllegalArgumentException("symbol name is blank");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("symbol weight is not finite: " + weight);
        }
    }
}

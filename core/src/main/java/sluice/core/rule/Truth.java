package sluice.core.rule;

/**
 * What a predicate says of a message: it holds, it does not, or it could not be evaluated (a header
 * pattern whose {@link PatternBudget} was spent before or while it ran). Conditions combine as "and",
 * exceptions as "or", each with UNKNOWN where the known ones do not decide (Kleene's logic).
 */
enum Truth {
    TRUE, FALSE, UNKNOWN;

    static Truth of(boolean b) {
        return b ? TRUE : FALSE;
    }
}

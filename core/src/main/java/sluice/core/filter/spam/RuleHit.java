package sluice.core.filter.spam;

/** A rule that fired on a message, with what it saw (for the report header; never body text). */
record RuleHit(Rule rule, String detail) {
}

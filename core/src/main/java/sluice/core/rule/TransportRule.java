package sluice.core.rule;

import java.util.Objects;

/**
 * One mail flow rule (EOP's {@code New-TransportRule}). All conditions must match (no condition:
 * every message), and no exception may match; then the actions apply.
 *
 * @param priority 0 runs first; unique within the organization (the store renumbers on insert)
 */
public record TransportRule(String id, String organizationId, String name, int priority, boolean enabled, String comment,
                            RulePredicates conditions, RulePredicates exceptions, RuleActions actions) {

    public TransportRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a rule needs a name");
        name = name.strip();
        if (name.length() > 200) throw new IllegalArgumentException("name must have at most 200 characters");
        if (priority < 0) throw new IllegalArgumentException("priority must be 0 or more");
        if (conditions == null) conditions = RulePredicates.NONE;
        if (exceptions == null) exceptions = RulePredicates.NONE;
        Objects.requireNonNull(actions, "a rule needs actions");
    }

    /** True when a condition or exception reads the spam confidence level: such a rule runs after anti-spam. */
    public boolean readsScl() {
        return conditions.sclOver() != null || exceptions.sclOver() != null;
    }

    public TransportRule withId(String newId) {
        return new TransportRule(newId, organizationId, name, priority, enabled, comment, conditions, exceptions, actions);
    }

    public TransportRule withPriority(int p) {
        return new TransportRule(id, organizationId, name, p, enabled, comment, conditions, exceptions, actions);
    }
}

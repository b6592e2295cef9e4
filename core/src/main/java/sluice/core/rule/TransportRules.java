package sluice.core.rule;

import java.util.List;
import java.util.Optional;

/**
 * The mail flow rules of every organization. {@link #rules(String)} is read for every message, so
 * implementations answer it from memory. Priorities stay dense and unique per organization
 * (0..n-1): a create or an update that asks for a taken priority moves the others down, one past
 * the end means last (see {@link RuleOrder}). Writes throw {@code Directory.Conflict} for a
 * duplicate name within an organization and {@code Directory.NotFound} for a missing id; the id of
 * a rule passed to {@link #create} is ignored.
 */
public interface TransportRules {

    /** The organization's rules in priority order (enabled or not). */
    List<TransportRule> rules(String organizationId);

    Optional<TransportRule> rule(String id);

    TransportRule create(TransportRule rule);

    TransportRule update(TransportRule rule);

    void delete(String id);
}

package sluice.core.testing;

import sluice.core.org.Directory;
import sluice.core.rule.RuleOrder;
import sluice.core.rule.TransportRule;
import sluice.core.rule.TransportRules;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Mail flow rules in memory, numbered like the SQL store (through {@link RuleOrder}). */
public final class MemoryTransportRules implements TransportRules {

    private final Map<String, TransportRule> rules = new ConcurrentHashMap<>();

    @Override
    public synchronized List<TransportRule> rules(String organizationId) {
        return rules.values().stream().filter(r -> r.organizationId().equals(organizationId))
                .sorted(Comparator.comparingInt(TransportRule::priority)).toList();
    }

    @Override
    public Optional<TransportRule> rule(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    @Override
    public synchronized TransportRule create(TransportRule rule) {
        return save(rule.withId(UUID.randomUUID().toString()));
    }

    @Override
    public synchronized TransportRule update(TransportRule rule) {
        if (!rules.containsKey(rule.id())) throw new Directory.NotFound("no rule " + rule.id());
        return save(rule);
    }

    @Override
    public synchronized void delete(String id) {
        TransportRule gone = rules.remove(id);
        if (gone == null) throw new Directory.NotFound("no rule " + id);
        RuleOrder.without(rules(gone.organizationId()), id).forEach(r -> rules.put(r.id(), r));
    }

    private TransportRule save(TransportRule rule) {
        List<TransportRule> current = rules(rule.organizationId());
        if (current.stream().anyMatch(r -> !r.id().equals(rule.id()) && r.name().equalsIgnoreCase(rule.name())))
            throw new Directory.Conflict("a rule named " + rule.name() + " exists");
        List<TransportRule> placed = RuleOrder.place(current, rule);
        placed.forEach(r -> rules.put(r.id(), r));
        return rules.get(rule.id());
    }
}

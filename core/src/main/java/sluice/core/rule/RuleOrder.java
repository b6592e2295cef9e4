package sluice.core.rule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps an organization's priorities dense and unique, as EOP does: a rule placed at a priority
 * already taken pushes that rule and the ones after it down by one; a priority past the end is
 * the end. Shared by every {@link TransportRules} implementation so they number alike.
 */
public final class RuleOrder {

    private RuleOrder() {
    }

    /**
     * The organization's rules after {@code placed} is put at its priority ({@code current} may hold
     * an older version of it, by id), renumbered 0..n-1.
     */
    public static List<TransportRule> place(List<TransportRule> current, TransportRule placed) {
        List<TransportRule> others = new ArrayList<>(current.stream().filter(r -> !r.id().equals(placed.id()))
                .sorted(Comparator.comparingInt(TransportRule::priority)).toList());
        others.add(Math.min(placed.priority(), others.size()), placed);
        return renumber(others);
    }

    /** The rules left after {@code removedId} is gone, renumbered. */
    public static List<TransportRule> without(List<TransportRule> current, String removedId) {
        return renumber(current.stream().filter(r -> !r.id().equals(removedId))
                .sorted(Comparator.comparingInt(TransportRule::priority)).toList());
    }

    private static List<TransportRule> renumber(List<TransportRule> ordered) {
        List<TransportRule> out = new ArrayList<>(ordered.size());
        for (int i = 0; i < ordered.size(); i++) out.add(ordered.get(i).priority() == i ? ordered.get(i) : ordered.get(i).withPriority(i));
        return out;
    }
}

package sluice.core.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the stages found about one message: symbols in order, and at most one fact of each type. */
public final class Findings {

    private final List<Symbol> symbols = new ArrayList<>();
    private final List<Fact> facts = new ArrayList<>();

    public void add(Symbol symbol) {
        symbols.add(symbol);
    }

    /** Records a fact, replacing an earlier one of the same type. */
    public void add(Fact fact) {
        facts.removeIf(f -> f.getClass() == fact.getClass());
        facts.add(fact);
    }

    public List<Symbol> symbols() {
        return List.copyOf(symbols);
    }

    public <T extends Fact> Optional<T> fact(Class<T> type) {
        return facts.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    public boolean has(String symbolName) {
        return symbols.stream().anyMatch(s -> s.name().equals(symbolName));
    }
}

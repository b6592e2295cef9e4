package sluice.core.filter;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named observation a stage made, with its weight toward spam (positive) or ham (negative) and a
 * short detail for people ("IP_BLOCKLISTED: 192.0.2.1 on zen.example"). Names are upper-case words
 * joined by underscores and stable: admins and rules refer to them.
 */
public record Symbol(String name, double weight, String detail) {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    public Symbol {
        Objects.requireNonNull(name);
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("bad symbol name: " + name);
    }

    @Override
    public String toString() {
        return detail == null || detail.isEmpty() ? name : name + "(" + detail + ")";
    }
}

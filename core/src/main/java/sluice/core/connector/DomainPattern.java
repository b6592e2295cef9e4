package sluice.core.connector;

import sluice.core.mail.Domain;

/**
 * A domain as connectors name them: {@code contoso.com} (that domain only), {@code *.contoso.com}
 * (its subdomains only) or {@code *} (every domain).
 */
public record DomainPattern(String pattern) {

    public DomainPattern {
        if (pattern == null || pattern.isBlank()) throw new IllegalArgumentException("empty domain pattern");
        pattern = pattern.trim();
        if (!pattern.equals("*")) {
            String d = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
            pattern = (pattern.startsWith("*.") ? "*." : "") + Domain.of(d).name();
        }
    }

    public static DomainPattern parse(String s) {
        return new DomainPattern(s);
    }

    public boolean isWildcard() {
        return pattern.startsWith("*");
    }

    public boolean matches(Domain domain) {
        if (pattern.equals("*")) return true;
        if (pattern.startsWith("*.")) return domain.name().endsWith(pattern.substring(1));
        return domain.name().equals(pattern);
    }

    @Override
    public String toString() {
        return pattern;
    }
}

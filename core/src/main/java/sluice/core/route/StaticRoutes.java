package sluice.core.route;

import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Node-level smart hosts per recipient domain, from the node configuration (Postfix's transport map):
 * {@code example.org} matches that domain only, {@code *.example.org} its subdomains only. The most
 * specific entry wins. Organization-level outbound connectors take precedence over these.
 */
public final class StaticRoutes {

    private final Map<String, List<HostPort>> exact = new TreeMap<>();
    private final Map<String, List<HostPort>> wildcard = new TreeMap<>();

    public StaticRoutes(Map<String, List<String>> table) {
        table.forEach((pattern, hosts) -> {
            if (hosts.isEmpty()) throw new IllegalArgumentException("no smart hosts for " + pattern);
            List<HostPort> parsed = hosts.stream().map(HostPort::parse).toList();
            if (pattern.startsWith("*.")) wildcard.put(Domain.of(pattern.substring(2)).name(), parsed);
            else exact.put(Domain.of(pattern).name(), parsed);
        });
    }

    public static StaticRoutes none() {
        return new StaticRoutes(Map.of());
    }

    public Optional<List<HostPort>> smartHostsFor(Domain domain) {
        List<HostPort> hit = exact.get(domain.name());
        if (hit != null) return Optional.of(hit);
        for (Domain d = domain.parent(); d != null; d = d.parent()) {
            hit = wildcard.get(d.name());
            if (hit != null) return Optional.of(hit);
        }
        return Optional.empty();
    }
}

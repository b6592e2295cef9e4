package sluice.admin.testing;

import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.filter.policy.Policies;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Policies in memory, defaults until set, for the admin tests. */
public final class InMemoryPolicies implements Policies {
    private final Map<String, ConnectionFilterPolicy> connection = new ConcurrentHashMap<>();
    private final Map<String, AntiSpamPolicy> antiSpam = new ConcurrentHashMap<>();
    private final Map<String, AntiMalwarePolicy> antiMalware = new ConcurrentHashMap<>();

    @Override public ConnectionFilterPolicy connectionFilter(String o) { return connection.getOrDefault(o, ConnectionFilterPolicy.DEFAULT); }
    @Override public AntiSpamPolicy antiSpam(String o) { return antiSpam.getOrDefault(o, AntiSpamPolicy.DEFAULT); }
    @Override public AntiMalwarePolicy antiMalware(String o) { return antiMalware.getOrDefault(o, AntiMalwarePolicy.DEFAULT); }
    @Override public void setConnectionFilter(String o, ConnectionFilterPolicy p) { connection.put(o, p); }
    @Override public void setAntiSpam(String o, AntiSpamPolicy p) { antiSpam.put(o, p); }
    @Override public void setAntiMalware(String o, AntiMalwarePolicy p) { antiMalware.put(o, p); }
}

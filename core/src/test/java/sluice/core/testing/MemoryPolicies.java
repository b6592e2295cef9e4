package sluice.core.testing;

import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.filter.policy.Policies;

/** One set of policies for every organization, defaults until set, for core's tests. */
public final class MemoryPolicies implements Policies {
    public volatile ConnectionFilterPolicy connection = ConnectionFilterPolicy.DEFAULT;
    public volatile AntiSpamPolicy antiSpam = AntiSpamPolicy.DEFAULT;
    public volatile AntiMalwarePolicy antiMalware = AntiMalwarePolicy.DEFAULT;

    @Override public ConnectionFilterPolicy connectionFilter(String o) { return connection; }
    @Override public AntiSpamPolicy antiSpam(String o) { return antiSpam; }
    @Override public AntiMalwarePolicy antiMalware(String o) { return antiMalware; }
    @Override public void setConnectionFilter(String o, ConnectionFilterPolicy p) { connection = p; }
    @Override public void setAntiSpam(String o, AntiSpamPolicy p) { antiSpam = p; }
    @Override public void setAntiMalware(String o, AntiMalwarePolicy p) { antiMalware = p; }
}

package sluice.core.filter.policy;

/**
 * Per-organization protection policies. Reads are on the path of every message, so implementations
 * answer from memory; an organization without a stored policy gets the defaults.
 */
public interface Policies {

    ConnectionFilterPolicy connectionFilter(String organizationId);

    AntiSpamPolicy antiSpam(String organizationId);

    AntiMalwarePolicy antiMalware(String organizationId);

    void setConnectionFilter(String organizationId, ConnectionFilterPolicy policy);

    void setAntiSpam(String organizationId, AntiSpamPolicy policy);

    void setAntiMalware(String organizationId, AntiMalwarePolicy policy);
}

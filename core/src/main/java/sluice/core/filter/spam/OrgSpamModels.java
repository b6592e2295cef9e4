package sluice.core.filter.spam;

/**
 * Organizations' own anti-spam training ("junk" / "not junk" reports) over the shipped model. The
 * overlay is read for every message of the organization, so implementations keep it in memory;
 * {@link #learn} returns once the report is durable.
 */
public interface OrgSpamModels {

    /** The organization's overlay, or null when it never reported anything. */
    OrgSpamModel overlay(String organizationId);

    void learn(String organizationId, byte[] message, boolean spam);
}

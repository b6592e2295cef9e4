package sluice.core.mail;

/**
 * Sluice's own header fields that mean something only inside the organization: which mail flow rules
 * matched (rule ids), the mailbox folder, who released a message from quarantine. Like Exchange's
 * {@code X-MS-Exchange-Organization-*} fields they are removed when mail leaves the organization (by MX,
 * or to a partner); the organization's own servers keep them. {@code X-Sluice-Antispam-Report} stays, as
 * EOP's {@code X-Forefront-Antispam-Report} does. Remote delivery and delivery status notifications
 * (the returned message goes back to a sender who is, in general, outside) both use it.
 */
public final class OrganizationHeaders {

    private static final String PREFIX = "x-sluice-";
    private static final String KEPT = "x-sluice-antispam-report";

    private OrganizationHeaders() {
    }

    /** The content without those fields; the same array when it has none. */
    public static byte[] removed(byte[] content) {
        if (!Headers.hasFieldStartingWith(content, PREFIX)) return content; // the common case: nothing to copy
        return Headers.withoutFields(content, OrganizationHeaders::internal);
    }

    private static boolean internal(String field) {
        return field.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) && !field.regionMatches(true, 0, KEPT, 0, KEPT.length());
    }
}

/**
 * Delivery status notifications we originate (RFC 3464, RFC 3461): non-delivery reports, delay
 * notices and success notices, internationalized ones (RFC 6533) for mail with non-ASCII addresses or
 * UTF-8 header fields. Input: the original queued message and per-recipient results.
 * Output: the octets of the report, sent from the null sender so it is never bounced again. What it
 * returns of the original never carries the organization's own X-Sluice-* fields: the report goes to
 * the sender, in general outside the organization.
 */
package sluice.core.deliver.dsn;

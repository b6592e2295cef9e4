/**
 * Delivery status notifications we originate (RFC 3464, RFC 3461): non-delivery reports, delay
 * notices and success notices, internationalized ones (RFC 6533) for mail with non-ASCII addresses or
 * UTF-8 header fields. Input: the original queued message and per-recipient results.
 * Output: the octets of the report, sent from the null sender so it is never bounced again. What it
 * returns of the original never carries the organization's own X-Sluice-* fields: the report goes to
 * the sender, in general outside the organization. A long Diagnostic-Code is folded only before the
 * reply's own whitespace, so that unfolding it gives back the reply byte for byte (or, for a reply over
 * 1000 characters or with a word too long for a 998-octet line, a start of it ending in "...").
 */
package sluice.core.deliver.dsn;

/**
 * Delivery status notifications we originate (RFC 3464, RFC 3461): non-delivery reports, delay
 * notices and success notices. Input: the original queued message and per-recipient results.
 * Output: the octets of the report, sent from the null sender so it is never bounced again.
 */
package sluice.core.deliver.dsn;

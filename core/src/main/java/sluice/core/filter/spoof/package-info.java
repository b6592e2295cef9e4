/**
 * Anti-spoofing: does the message really come from whom it says? {@link sluice.core.filter.spoof.AntiSpoofing}
 * runs SPF ({@code spf/}), DKIM verification ({@link sluice.core.filter.dkim}) and DMARC ({@code dmarc/})
 * and adds EOP-style composite authentication; {@link sluice.core.filter.spoof.AuthenticationResults}
 * writes the RFC 8601 header field.
 *
 * <p>Inputs: client IP, HELO, MAIL FROM, raw message octets; DNS only through the
 * {@link sluice.core.dns.Dns} port; injected clock and randomness.
 *
 * <p>Outputs: {@link sluice.core.filter.spoof.SpoofResults}, plain records with a reason each. No
 * policy decisions: the pipeline turns them into a verdict.
 *
 * <p>Failure modes: never throws; DNS failures become temperror results (for a From of several or unreadable
 * addresses one the pipeline defers, {@link sluice.core.filter.spoof.dmarc.DmarcResult#shownPolicyUnknown}), malformed input permerror
 * or fail results. Time is bounded by one deadline for all DNS look-ups of a message (20 s by
 * default) and the SPF look-up limits.
 */
package sluice.core.filter.spoof;

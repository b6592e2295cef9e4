/**
 * Optional anti-spam by Rspamd (3.x), asked over its HTTP protocol when {@code protection.rspamd}
 * names a normal worker (e.g. {@code http://127.0.0.1:11333}).
 *
 * <p>Input: the message under inspection. {@link sluice.core.filter.rspamd.RspamdClient} posts the
 * raw message to {@code /checkv2} with the envelope as Rspamd's request headers (IP = originating
 * address, Helo, From = envelope sender or {@code <>}, one Rcpt per recipient) and reads the JSON
 * reply. Output, from {@link sluice.core.filter.rspamd.RspamdStage}: a summary symbol {@code RSPAMD}
 * (weight = Rspamd's score, detail = action, score, threshold and mapped SCL), the strongest
 * non-zero Rspamd symbols as {@code RSPAMD_<NAME>} (weight = Rspamd's score, detail = its options),
 * and possibly a raised {@link sluice.core.filter.Facts.Spam}.
 *
 * <p>How Rspamd's verdict combines with the built-in SCL. The stage runs after the built-in one.
 * Rspamd's score maps linearly onto the SCL with its reject threshold ({@code required_score}) at
 * SCL 7, EOP's high-confidence level: {@code scl = clamp(round(7 * score / required_score), 0, 9)}.
 * That SCL is applied only when Rspamd would itself reject the message (action "reject", or score
 * &ge; required_score): the SCL becomes {@code max(builtin, max(7, scl))}, so the organization's
 * high-confidence spam action applies. Below that, Rspamd's verdict is recorded (symbols, and the
 * mapped SCL marked "not applied") but the built-in SCL stands. Why not always take the maximum:
 * Rspamd's middle scores lean on DNS (reverse DNS, RBLs, SPF): an Rspamd with broken DNS scores
 * plain mail "add header" (we measured 7.3 of 15 for a two-line note), which would junk clean mail,
 * whereas the built-in classifier is trained per organization. Rspamd never lowers the SCL.
 *
 * <p>Failure modes: connection refused, a timeout (5 s by default), an HTTP error or an unreadable
 * reply are logged (once while Rspamd stays down), recorded as symbol {@code RSPAMD_FAILED} with
 * weight 0, and leave the built-in verdict alone: Rspamd is optional and never blocks mail. Internal
 * mail is not sent to Rspamd, as the built-in stage does not score it either.
 */
package sluice.core.filter.rspamd;

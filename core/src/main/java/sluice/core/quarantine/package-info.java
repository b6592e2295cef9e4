/**
 * Quarantine: messages held instead of delivered (malware, spam, phish, policy), kept for a
 * retention period, searched (a page at a time), previewed, released to some or all of their recipients, or deleted.
 *
 * <p>Inputs: a held message from the protection pipeline ({@link sluice.core.quarantine.Quarantine#quarantine}
 * or {@code hold}); administrators' searches, releases and deletions; the clock for expiry. Outputs:
 * stored entries (through the {@link sluice.core.quarantine.QuarantineStore} port), a released copy
 * in the {@link sluice.core.queue.Spool} (fresh queue id, same network message id, an
 * {@code X-Sluice-Quarantine-Released} header), and QUARANTINE / RELEASE trace events.
 *
 * <p>A release skips the recipients the message was released to before unless the caller asks to
 * release again, so that two clicks or two helpdesk users deliver it once, even at the same instant
 * on two nodes sharing a store: the store marks each recipient released with a conditional update,
 * and a release that finds a recipient marked by another withdraws it from its copy before delivery.
 * The released copy carries the original envelope: the sender's DSN request (RET, ENVID, and NOTIFY
 * and ORCPT per recipient, RFC 3461), organization, origin, and a mail flow rule's connector. A copy of the
 * organization's own mail is DKIM-signed again when its domain's active key changed while it was held
 * ({@link sluice.core.quarantine.ReleaseSigning}).
 *
 * <p>Failure modes: a release naming someone who was not a recipient is refused as a whole
 * ({@link sluice.core.quarantine.Quarantine.UnknownRecipients}); so is the release of an entry past its
 * retention, even before the purge deletes it ({@link sluice.core.quarantine.Quarantine.Expired}); a
 * store failure reaches the caller (nothing is half-released: the copy is queued before the release is
 * recorded and withdrawn when recording fails, so a failure after queuing can at worst let the same
 * recipients be released twice, never lose the release).
 */
package sluice.core.quarantine;

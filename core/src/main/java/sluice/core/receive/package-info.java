/**
 * The SMTP session handler of the mail flow. Inputs: SMTP commands already checked for syntax by
 * the smtp module. Outputs: per-phase replies, and accepted messages made durable in the spool and
 * handed to the queue runner. Fails closed: a recipient is refused unless a route vouches for it;
 * a message is acknowledged only after the spool synced it; any storage failure answers 451.
 */
package sluice.core.receive;

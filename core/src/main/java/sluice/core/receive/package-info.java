/**
 * The SMTP session handler of the mail flow. Inputs: SMTP commands already checked for syntax by
 * the smtp module. Outputs: per-phase replies, and accepted messages made durable in the spool and
 * handed to the queue runner. Fails closed: a recipient is refused unless a route vouches for it;
 * a message is acknowledged only after the spool synced it; a storage failure answers 451, unless
 * another organization's copy of the message was already stored: then the sender gets an NDR.
 */
package sluice.core.receive;

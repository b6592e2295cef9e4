/**
 * Delivery: into hosted mailboxes ({@code mailbox/}), over SMTP to the next hop ({@code remote/}),
 * and the delivery status notifications we generate ({@code dsn/}). Every attempt ends in an
 * {@link sluice.core.deliver.Outcome}; nothing here throws at the queue runner.
 */
package sluice.core.deliver;

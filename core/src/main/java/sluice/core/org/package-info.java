/**
 * The directory of organizations, accepted domains and hosted mailboxes, and the rules that tie an
 * address to them. Input: addresses and domains; output: the records that own them. The storage
 * behind {@link sluice.core.org.Directory} lives in the store module.
 */
package sluice.core.org;

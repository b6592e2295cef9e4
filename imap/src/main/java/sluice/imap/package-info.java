/**
 * IMAP access to hosted mailboxes (RFC 3501 IMAP4rev1 with MOVE, IDLE, LITERAL+, SASL-IR, UNSELECT,
 * SPECIAL-USE, UIDPLUS and APPENDLIMIT): the listener, the command reader (lines, literals, size
 * caps), the session state machine, folder commands and APPEND, and the rendering of FETCH, SEARCH
 * and STATUS. Inputs: a socket, core's directory and
 * mailbox ports. Outputs: tagged and untagged responses; changes to flags, messages and folders through
 * {@link sluice.core.mailbox.MailboxFolders}. Failure modes: malformed input gets {@code BAD}, a
 * refused operation {@code NO}, a store failure {@code NO [UNAVAILABLE]}; nothing a client sends
 * can take the listener down; APPEND messages are held within the node's buffer budget ({@code NO
 * [LIMIT]} when it has no room) and clients are counted as SMTP counts them. One virtual thread per
 * connection, sequential code.
 */
package sluice.imap;

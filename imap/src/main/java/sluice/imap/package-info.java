/**
 * IMAP access to hosted mailboxes (RFC 3501 IMAP4rev1 with MOVE, IDLE, LITERAL+, SASL-IR, UNSELECT,
 * SPECIAL-USE, UIDPLUS and APPENDLIMIT): the listener, the command reader (lines, literals, size
 * caps), the session state machine, folder commands and APPEND, and the rendering of FETCH, SEARCH
 * and STATUS. Inputs: a socket, core's directory and
 * mailbox ports. Outputs: tagged and untagged responses; changes to flags, messages and folders through
 * {@link sluice.core.mailbox.MailboxFolders}. Failure modes: malformed input gets {@code BAD}, a
 * refused operation {@code NO}, a valid command past a server limit (search keys, fetch items, a LIST
 * pattern's length) {@code NO [LIMIT]}, a store failure {@code NO [UNAVAILABLE]}; nothing a client sends
 * can take the listener down; APPEND messages are held within the node's buffer budget ({@code NO
 * [LIMIT]} when it has no room) and clients are counted as SMTP counts them; a client must log in
 * within a deadline from connect and read its responses within a write deadline, and a session
 * whose mailbox was deleted or whose password changed ends at its next command. Passwords are
 * checked within the node's login limits, shared with SMTP AUTH. Messages are split into parts by the
 * malware scanner's rules, so no part is served that the scanner did not see. One virtual thread per
 * connection, sequential code.
 */
package sluice.imap;

package sluice.imap;

/**
 * Well-formed client input past one of the server's limits (search keys, fetch items, a LIST pattern's
 * length); the session answers {@code NO [LIMIT]} with this message and goes on. Not BAD: the command
 * is valid, the server declines it (RFC 9051 section 7.1, response code LIMIT).
 */
final class ImapLimitException extends RuntimeException {
    ImapLimitException(String message) {
        super(message, null, false, false);
    }
}

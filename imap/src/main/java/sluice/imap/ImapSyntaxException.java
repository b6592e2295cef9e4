package sluice.imap;

/** Malformed client input; the session answers {@code BAD} with this message and goes on. */
final class ImapSyntaxException extends RuntimeException {
    ImapSyntaxException(String message) {
        super(message, null, false, false);
    }
}

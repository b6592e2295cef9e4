package sluice.store;

/**
 * The storage itself failed (I/O error, full disk, corrupt file): the caller's change was not made.
 * Callers treat it as a temporary failure (a 4xx to an SMTP client), never as a reason to drop mail.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

package sluice.imap;

import java.io.IOException;

/**
 * The server ends a session that may no longer go on (its login was revoked, its time ran out): the
 * message is said in a {@code * BYE} and the connection closed. An IOException so it leaves through
 * every command's I/O path unchanged.
 */
final class SessionEnded extends IOException {
    SessionEnded(String message) {
        super(message);
    }
}

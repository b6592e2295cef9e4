package sluice.admin.auth;

import java.util.Optional;

/** Resolves a browser session id (the {@code sluice_session} cookie) to its caller and CSRF token. */
@FunctionalInterface
public interface SessionAuthenticator {

    /** Empty for an unknown, expired or ended session, or one whose user is gone or disabled. Never throws for a bad id. */
    Optional<Active> authenticate(String sessionId);

    /** A live session: who it is, and the token every state-changing request must echo in {@code X-CSRF-Token}. */
    record Active(Caller caller, String csrfToken) {
    }

    SessionAuthenticator NONE = id -> Optional.empty();
}

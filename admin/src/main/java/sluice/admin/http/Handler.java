package sluice.admin.http;

/**
 * A route's code. Throws {@link ProblemException} (or the exceptions {@link Problems} maps) for the
 * caller's mistakes; anything else is answered with a generic 500.
 */
@FunctionalInterface
public interface Handler {
    Response handle(Request request);
}

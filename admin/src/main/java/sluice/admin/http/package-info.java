/**
 * The HTTP plumbing of the admin API, on the JDK's {@code com.sun.net.httpserver}: a {@link
 * sluice.admin.http.Router} of method + path patterns to plain-lambda {@link sluice.admin.http.Handler}s,
 * and a {@link sluice.admin.http.Dispatcher} that authenticates, reads the bounded body, calls the
 * handler, and turns every failure into an RFC 9457 problem response.
 *
 * <p>Input: HTTP exchanges. Output: JSON responses with secure headers, one access-log line and one
 * timer sample per request. Failure modes: every exception becomes a problem response (4xx for the
 * caller's mistakes, 500 with a generic detail for ours); a stack trace never reaches the client, and
 * request bodies and the Authorization header are never logged. An {@code IllegalArgumentException}'s
 * message reaches the caller only when Sluice's own validation wrote it ({@link sluice.admin.http.UserMessages});
 * one from the JDK or a library is a 400 with a generic detail and a reference to the logged exception.
 */
package sluice.admin.http;

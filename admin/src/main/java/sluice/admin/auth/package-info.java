/**
 * Who is calling the admin API and what they may touch. Inputs: a bearer token (the bootstrap token,
 * or a user's {@code slc_} API token, looked up by its SHA-256), or a browser session cookie (ids
 * kept as digests in memory, 30 minutes idle, 12 hours at most) with its CSRF token; username and
 * password at login (Argon2id, throttled per username and address). Output: a {@link
 * sluice.admin.auth.Caller} with a {@link sluice.admin.auth.Role} and the organizations in its scope,
 * read from the user's account at every request. Failure mode: an unknown, expired or revoked
 * credential yields no caller (the API answers 401); authenticators never throw for a bad credential
 * and compare secrets in constant time.
 */
package sluice.admin.auth;

/**
 * Who is calling the admin API and what they may touch. Input: a bearer token. Output: a {@link
 * sluice.admin.auth.Caller} with a {@link sluice.admin.auth.Role} and the organizations in its scope.
 * Failure mode: an unknown token yields no caller (the API answers 401); authenticators never throw for
 * a bad token and compare secrets in constant time.
 */
package sluice.admin.auth;

/**
 * The admin API's resources under {@code /api/v1} (the mail configuration, trace and queue, and the
 * administrators' own: users, tokens, session, audit), one routes class per resource, each registering
 * plain-lambda handlers on a {@link sluice.admin.http.Router}. JSON field names and enum values are
 * EOP's (camelCase fields, {@code "InternalRelay"}, {@code "Delivered"}); lists answer
 * {@code {"items": [...]}} so paging can be added without breaking clients.
 *
 * <p>Input: requests with an authenticated caller; output: views of the core's records. Every route
 * enforces the caller's scope: an object outside it is answered 404 exactly as if it did not exist,
 * and a change the role does not allow is 403. Failure modes: invalid fields are a 400 listing every
 * error; the directory's Conflict and NotFound become 409 and 404. {@link sluice.admin.api.ApiDocs}
 * describes every route for the OpenAPI document.
 */
package sluice.admin.api;

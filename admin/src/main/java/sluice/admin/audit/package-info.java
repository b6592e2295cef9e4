/**
 * The audit log of configuration changes, recorded once around every route rather than in each one.
 * Input: each matched API request that may change state (POST, PUT, PATCH, DELETE) with its caller,
 * and the resource as its own GET route shows it before and after. Output: one
 * {@link sluice.core.account.AuditEntry} per successful (2xx) change: who, when, the organization,
 * an action named from the route ({@code connector.outbound.update}), the target id and a compact
 * diff, with passwords and secrets redacted. A change that fails is not recorded, except one refused for
 * what it would reach (another organization's ranges: {@link sluice.admin.audit.Refusals},
 * {@code connector.inbound.create.refused}) or for a name someone else may hold ({@code user.create.refused}),
 * which is recorded with the rule that refused it. "Who" is the caller's name as recorded; the API shows it only
 * to callers who may see that account ({@code AuditRoutes}). Failure
 * modes: an audit write that fails is logged as an error and does not undo or fail the change already made.
 */
package sluice.admin.audit;

/**
 * The admin HTTP server: the REST API under {@code /api/v1} (organizations, accepted domains,
 * mailboxes, connectors, policies, message trace, queue, administrators, API tokens, sessions, audit
 * log), its OpenAPI document, {@code /healthz} and {@code /metrics}, on the JDK's HTTP server with one
 * virtual thread per request. {@link sluice.admin.AdminServer} is the only thing the
 * {@code server} module wires.
 *
 * <p>Inputs: core's ports (Directory, MailboxStore, Trace, QueueAdmin), a Prometheus registry, a health
 * supplier, a bind address, a {@link sluice.admin.auth.TokenAuthenticator} (the bootstrap token), a
 * clock, and the accounts (users and tokens, audit log). Outputs: JSON
 * over HTTP. Failure modes: a port that throws yields a 500 problem for that request only (logged); a
 * port that is down shows as 503 on {@code /healthz} if the health supplier says so. The only state
 * the server holds is browser sessions and login throttling, in memory: a restart logs browsers out.
 */
package sluice.admin;

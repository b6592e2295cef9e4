/**
 * In-memory stand-ins for core's ports (directory, trace, queue admin, mailbox store, users, audit log) and a fixture
 * that runs a real {@link sluice.admin.AdminServer} on a loopback port, a movable clock and a logged-in {@link sluice.admin.testing.Browser}, for the admin API's tests.
 * Minimal but faithful to the ports' contracts (Conflict, NotFound, scope filtering); they are not for
 * production and will give way to the SQL store's implementations in integration tests.
 */
package sluice.admin.testing;

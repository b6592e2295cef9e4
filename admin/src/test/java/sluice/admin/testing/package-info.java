/**
 * In-memory stand-ins for core's ports (directory, trace, queue admin, mailbox store) and a fixture
 * that runs a real {@link sluice.admin.AdminServer} on a loopback port, for the admin API's tests.
 * Minimal but faithful to the ports' contracts (Conflict, NotFound, scope filtering); they are not for
 * production and will give way to the SQL store's implementations in integration tests.
 */
package sluice.admin.testing;

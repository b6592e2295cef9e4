/**
 * Recipient to route: hosted mailbox, smart host, MX, or refusal. Inputs: the directory and the
 * node's static routes (later also outbound connectors). Output: a {@link sluice.core.route.Route};
 * never fails, a recipient with no route gets {@link sluice.core.route.Route.Refuse}.
 */
package sluice.core.route;

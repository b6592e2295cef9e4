/**
 * Inbound and outbound connectors (EOP's model) and how they are matched: an inbound connector
 * attributes a connection to an organization by IP or TLS certificate and may grant relay; an
 * outbound connector names the next hop and TLS requirement for a set of recipient domains.
 */
package sluice.core.connector;

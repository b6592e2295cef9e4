/**
 * Connection filtering: IP allow and block lists (later DNS block lists). Input: the originating IP
 * and the organization's connection filter policy. Output: a Connection fact and symbols.
 */
package sluice.core.filter.connection;

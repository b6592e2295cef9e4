/** Main: loads and validates the node configuration and wires every part by hand. */
package sluice.server;

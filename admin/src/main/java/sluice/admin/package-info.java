/** The admin REST API under /api/v1, health and metrics, served by the JDK's HTTP server. */
package sluice.admin;

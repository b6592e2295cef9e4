/** The admin REST API client: JSON over {@link java.net.http.HttpClient}, problem responses as {@link sluice.cli.CliException}s. */
package sluice.cli.http;

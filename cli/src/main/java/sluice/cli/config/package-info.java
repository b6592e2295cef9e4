/**
 * {@code sluice config export|import}: an organization's configuration as one YAML file that can
 * live in git. Objects are matched by natural keys (organization name, domain name, mailbox address,
 * connector name), never by id, so a file moves between servers.
 */
package sluice.cli.config;

/**
 * {@code sluice config export|import}: an organization's configuration as one YAML file that can
 * live in git. Objects are matched by natural keys (organization name, domain name, mailbox address,
 * connector name), never by id, so a file moves between servers. An import writes into the
 * organization the operator names, never into one the file names: files are often written by the
 * tenants they configure. A file is checked whole before the first change is sent.
 */
package sluice.cli.config;

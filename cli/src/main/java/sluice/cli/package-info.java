/** The command line: nouns and verbs over the admin REST API. */
package sluice.cli;

/**
 * The nouns and verbs: {@code organization}, {@code domain}, {@code mailbox}, {@code connector},
 * {@code policy}, {@code dkim}, {@code trace}, {@code queue}, {@code quarantine}. Every verb is an {@link sluice.cli.commands.ApiCommand} with the
 * connection options ({@code --server}, {@code --token}, {@code -o}).
 */
package sluice.cli.commands;

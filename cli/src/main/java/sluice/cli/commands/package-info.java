/**
 * The nouns and verbs: {@code organization}, {@code domain}, {@code mailbox}, {@code connector},
 * {@code trace}, {@code queue}. Every verb is an {@link sluice.cli.commands.ApiCommand} with the
 * connection options ({@code --server}, {@code --token}, {@code -o}).
 */
package sluice.cli.commands;

/**
 * CLI tests: the real {@code sluice} command tree ({@link sluice.server.Main#commandLine}) against a
 * real node on loopback with port-0 listeners. They live in the server module because the server
 * depends on the CLI (a test dependency the other way would be a cycle).
 */
package sluice.cli;

/** Human output (aligned tables, property lists, sizes and times) and {@code -o json}. */
package sluice.cli.output;

/**
 * Value types of the mail flow: addresses, domains, ids. Leaf package: depends on nothing else in
 * core. Constructors validate and throw {@link java.lang.IllegalArgumentException} on bad input.
 */
package sluice.core.mail;

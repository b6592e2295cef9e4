/** Organizations' anti-spam training on SQL, served from memory. */
package sluice.store.spam;

/** Per-organization protection policies on SQL, served from memory. */
package sluice.store.policy;

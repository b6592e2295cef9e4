/** DKIM signing keys per accepted domain on SQL, served from memory. */
package sluice.store.dkim;

/** SQL persistence behind core's ports: the spool, the directory, the mailbox store and the trace. */
package sluice.store;

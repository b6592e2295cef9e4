/** Mail flow rules on SQL ({@link sluice.store.rule.SqlTransportRules}), answered from memory. */
package sluice.store.rule;

/**
 * Protection policies: per-organization data (thresholds, lists, actions) that turn the pipeline's
 * findings into a verdict. Detection lives in code, policy in data.
 */
package sluice.core.filter.policy;

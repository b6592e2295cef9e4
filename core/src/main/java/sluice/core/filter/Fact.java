package sluice.core.filter;

/**
 * A typed result of one stage (the SPF result, the spam score, a malware detection, ...), read by
 * the policy that turns findings into a verdict. Each stage defines its own fact records.
 */
public interface Fact {
}

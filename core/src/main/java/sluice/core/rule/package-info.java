/**
 * Mail flow rules (EOP's transport rules): per-organization conditions, exceptions and actions
 * evaluated in priority order as a stage of the protection pipeline, between anti-malware and
 * anti-spoofing (rules that test the SCL run after anti-spam). Inputs: the message under
 * inspection, the organization's rules and accepted domains. Output: a
 * {@link sluice.core.filter.Facts.MailFlowRules} fact: what to change on delivery and, for reject,
 * delete and quarantine, the ending the decision applies after malware, a failed scan, the block
 * list and DMARC (rules never return a verdict themselves). Header patterns share a time budget per message
 * ({@link sluice.core.rule.PatternBudget}); one that could not be evaluated in it is unknown, and an unknown answer
 * fails closed only where that can do no harm ({@link sluice.core.rule.Candidate#matches}): a rule that only holds or
 * refuses applies (an unknown condition matches, an unknown exception does not exempt), any other rule does not (an
 * unknown condition does not match, an unknown exception exempts), so a sender cannot dodge a blocking rule, nor earn
 * trust, by making a pattern backtrack. Rules never stop mail for taking too long.
 */
package sluice.core.rule;

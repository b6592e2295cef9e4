/**
 * Mail flow rules (EOP's transport rules): per-organization conditions, exceptions and actions
 * evaluated in priority order as a stage of the protection pipeline, between anti-malware and
 * anti-spoofing (rules that test the SCL run after anti-spam). Inputs: the message under
 * inspection, the organization's rules and accepted domains. Output: a
 * {@link sluice.core.filter.Facts.MailFlowRules} fact: what to change on delivery and, for reject,
 * delete and quarantine, the ending the decision applies after malware, a failed scan, the block
 * list and DMARC (rules never return a verdict themselves). Header patterns share a time budget per message
 * ({@link sluice.core.rule.PatternBudget}); one that could not be evaluated in it is unknown, and what an unknown
 * answer means depends on what the rule's actions can do ({@link sluice.core.rule.Candidate.Effect}): a rule that only
 * holds or refuses applies (an unknown condition matches, an unknown exception does not exempt); a rule that can lower
 * the guard (an SCL below 9, a header, stopping without an ending) does not (an unknown condition does not match, an
 * unknown exception exempts); any other (a banner, a Bcc, a redirect, a connector) does not apply on an
 * unknown condition and is not exempted by an unknown exception. So a sender cannot dodge a blocking or protective
 * rule, nor earn trust, by making a pattern backtrack. A delete or reject that applied on an unknown answer holds the
 * message in quarantine instead, since benign mail may run out of time too. Rules never stop mail for taking too long.
 */
package sluice.core.rule;

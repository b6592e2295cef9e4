/**
 * Mail flow rules (EOP's transport rules): per-organization conditions, exceptions and actions
 * evaluated in priority order as a stage of the protection pipeline, between anti-malware and
 * anti-spoofing (rules that test the SCL run after anti-spam). Inputs: the message under
 * inspection, the organization's rules and accepted domains. Output: a
 * {@link sluice.core.filter.Facts.MailFlowRules} fact: what to change on delivery and, for reject,
 * delete and quarantine, the ending the decision applies after malware, a failed scan, the block
 * list and DMARC (rules never return a verdict themselves). A rule that cannot be evaluated (a pattern that runs too long)
 * does not match; it never stops mail.
 */
package sluice.core.rule;

/**
 * The protection pipeline: typed stages (connection filtering, anti-malware, anti-spoofing,
 * anti-spam) emit facts and named symbols; per-organization policies (data) turn them into a
 * verdict (deliver, Junk folder, quarantine, reject, defer). Inputs: the message and what is known
 * of its source. Output: a {@link sluice.core.filter.Verdict}. Never fails open on malware.
 */
package sluice.core.filter;

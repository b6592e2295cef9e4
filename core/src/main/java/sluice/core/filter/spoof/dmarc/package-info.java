/**
 * DMARC (RFC 7489): policy discovery at _dmarc.&lt;From domain&gt; then its organizational domain (Public
 * Suffix List, bundled, MPL-2.0), SPF and DKIM alignment (strict or relaxed), p/sp/pct.
 *
 * <p>Inputs: raw message octets (for the single From address), the SPF result of MAIL FROM, every
 * DKIM result; DNS through the {@link sluice.core.dns.Dns} port; an injected random source for pct=.
 *
 * <p>Outputs: a {@link sluice.core.filter.spoof.dmarc.DmarcResult}: none, pass, fail, temperror or
 * permerror, the published policy and the disposition it asks for this message.
 *
 * <p>Failure modes: never throws. No or several From fields or addresses is permerror (section
 * 6.6.1); so is one address whose domain is no name, unless the organizational domain of the labels at its end
 * that are one asks for quarantine or reject in sp=: then it fails under that policy. A DNS failure is temperror;
 * an unusable record permerror. No reports are sent.
 */
package sluice.core.filter.spoof.dmarc;

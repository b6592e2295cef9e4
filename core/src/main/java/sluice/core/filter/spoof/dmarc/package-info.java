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
 * <p>Failure modes: never throws. No From field is permerror; so are several From fields or addresses (section
 * 6.6.1) and one address Sluice cannot read ({@code ceo＠bank.example}, {@code ceo@bank.example}+U+200B,
 * {@code ceo@bank.example@evil.example}, {@code ceo@-x.bank.example}), unless a domain readers could show for them
 * (that of each address read, {@link sluice.core.mail.AddressList#shownDomains} for the others, as mail flow rules
 * read them) is not aligned with an SPF or
 * DKIM pass and asks for quarantine or reject (p= for a name shown whole, sp= of the organizational domain for the
 * readable end of a name that is none): then it fails under the strictest such policy; it never passes, since readers
 * may show more than can be read (at most ten names looked up, of its first 16K characters, 100 From fields and 100
 * domains; a From needing more, or showing more than is read, fails with reject: the domain not asked may be the one
 * that rejects). When a look-up for such a From fails (DNS failure, deadline spent) and no other domain shown fails
 * under reject, the result is a temperror marked {@link sluice.core.filter.spoof.dmarc.DmarcResult#shownPolicyUnknown}:
 * the pipeline defers the message (451), since legitimate mail of several authors must not be refused for good for a
 * transient failure, nor delivered while a reject may hide there. For a readable From a DNS failure is a plain
 * temperror; an unusable record permerror; a From domain too long for its _dmarc name has no record, and its
 * organizational domain is asked. No reports are sent.
 */
package sluice.core.filter.spoof.dmarc;

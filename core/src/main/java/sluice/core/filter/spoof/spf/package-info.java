/**
 * SPF (RFC 7208): is the connecting client authorized to send for the MAIL FROM or HELO domain?
 *
 * <p>Inputs: client IP, HELO name, MAIL FROM address ("" for the null reverse path); DNS only through
 * the {@link sluice.core.dns.Dns} port (TXT, A, AAAA, MX, PTR).
 *
 * <p>Outputs: a {@link sluice.core.filter.spoof.spf.SpfResult}: none, neutral, pass, fail, softfail,
 * temperror or permerror, the deciding mechanism, the explanation for a fail and a reason.
 *
 * <p>Failure modes: never throws. A DNS failure is temperror (section 2.6.6); a broken record, more
 * than 10 DNS-querying terms or more than 2 void look-ups is permerror (section 4.6.4). The Dns
 * implementation's timeouts bound each look-up, the limits bound their number.
 *
 * <p>Own code rather than Apache jSPF: jSPF resolves through its own dnsjava resolver, and our Dns
 * port must be the only way to DNS. Tested against the whole OpenSPF RFC 7208 suite.
 */
package sluice.core.filter.spoof.spf;

/**
 * DNS for the mail flow: the {@link sluice.core.dns.Dns} port and its dnsjava implementation
 * {@link sluice.core.dns.DnsJavaResolver}.
 *
 * <p>Inputs: domain names in canonical form ({@link sluice.core.mail.Domain}); the resolver is
 * configured with the servers to ask, a per-try timeout and a retry count.
 *
 * <p>Outputs: MX records sorted by preference (equal preferences shuffled, RFC 5321 section 5.1;
 * a null MX, RFC 7505, as a single {@code Mx} with a null exchange), A/AAAA addresses (together or one
 * family at a time), PTR names, TXT strings.
 * CNAMEs are followed.
 *
 * <p>Caching: {@link sluice.core.dns.DnsJavaResolver#cached} keeps answers per name and type for their TTL
 * (negative answers per RFC 2308, failures for 5 s per RFC 9520), bounded in entries and memory, with one
 * query in flight per name and type; see {@code AnswerCache}. Expiry runs on a monotonic nanosecond count
 * ({@link System#nanoTime}, injected for tests), never the wall clock.
 *
 * <p>Failure modes: the name does not exist (NXDOMAIN) is {@link sluice.core.dns.Dns.NoSuchDomain},
 * which may bounce mail; anything that leaves the answer unknown (SERVFAIL, REFUSED, timeouts, a CNAME
 * loop) is {@link sluice.core.dns.Dns.DnsFailure}, which may only defer it.
 */
package sluice.core.dns;

/**
 * DKIM (RFC 6376, RFC 8463): verify the signatures of inbound mail and sign outbound mail.
 *
 * <p>Inputs: raw message octets; key records only through the {@link sluice.core.dns.Dns} port; an
 * {@link java.time.InstantSource} for t=/x=; for signing, a domain, selector and RSA or Ed25519 key
 * ({@link sluice.core.filter.dkim.DkimKeys} generates them, stores them as PKCS#8 PEM and gives the
 * TXT record to publish).
 *
 * <p>Outputs: one {@link sluice.core.filter.dkim.DkimResult} per signature (pass, fail, neutral,
 * policy, temperror, permerror, with the risks a policy may weigh: l=, rsa-sha1, t=y); a
 * {@link sluice.core.filter.dkim.SignResult} when signing.
 *
 * <p>Failure modes: never throws on message content. Malformed signatures, keys or base64 are
 * permerror; a DNS failure is temperror; the signer refuses content with a bare CR or LF, or without
 * exactly one From. Own code rather than Apache jDKIM 0.5: we could not confirm ed25519-sha256 support
 * in it (RFC 8463 is required here), and the signer's refusals (bare CR/LF) and the verifier's risk
 * notes are ours to define; the RFC 8463 vectors and round trips test the result.
 */
package sluice.core.filter.dkim;

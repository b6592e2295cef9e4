/**
 * Remote delivery: hands a queued message to the next hop of a route over SMTP
 * ({@link sluice.core.deliver.remote.SmtpRemoteDelivery}).
 *
 * <p>Inputs: a {@link sluice.core.route.Route.ToMx} or {@link sluice.core.route.Route.ToSmartHost}
 * with its {@link sluice.core.route.TlsPolicy}, the queued message and the recipients sharing that
 * route; DNS through the {@link sluice.core.dns.Dns} port; {@link
 * sluice.core.deliver.remote.RemoteDeliveryOptions} (HELO name, ports, timeouts, trust store, limits).
 *
 * <p>Given an {@link sluice.core.deliver.remote.Admission} (the queue's node delivery slots), each SMTP
 * transaction enters it only once its connection is held, and reads the message's body only then; an
 * admission refused (the caller stopping) ends the delivery with InterruptedException, nothing sent.
 *
 * <p>Outputs: one {@link sluice.core.deliver.Outcome} per recipient, in order. Replies read
 * "250 2.0.0 text"; details name the host ({@code mx.example.com[192.0.2.1]:25}) and why. Outcomes reach the
 * message trace and notices to senders: what a peer sent appears only as a plain SMTP reply ({@code PeerText}), an
 * internal failure only as an {@link sluice.core.trace.Incident} reference; the rest is in the node's log.
 *
 * <p>Failure modes, all outcomes (this package never throws): a domain that does not exist, has a
 * null MX (RFC 7505) or no usable host bounces; DNS trouble, unreachable hosts, 4xx replies, and a
 * TLS requirement the next hop cannot meet defer (a required TLS level is never downgraded); 5xx
 * replies bounce; anything unexpected defers. An MX host that is this node itself bounces (5.4.6, the
 * mail would loop) unless the options allow it; a smart host that is this node itself is skipped unless
 * the route allows it (a global administrator's connector), and when nothing else is left the mail
 * defers (4.4.0). Leaving the organization, Sluice's own X-Sluice-* fields but the antispam report are
 * removed ({@code OrganizationHeaders}).
 *
 * <p>On the wire: 8-bit content goes with BODY=8BITMIME to a hop that offers 8BITMIME; to one that does not it is
 * converted to 7-bit as Postfix converts it ({@code SevenBitDowngrade}: 8-bit leaf parts become quoted-printable,
 * DKIM body signatures notwithstanding; header blocks go as they are, as with Postfix), and 8-bit octets that no
 * conversion can fix (already encoded content) bounce with 5.6.3. A non-ASCII address needs SMTPUTF8; to a hop
 * without it the message bounces with 5.6.7 (RFC 6531 section 3.2: no downgrade). Either refusal is a hop's own: a
 * later MX that offers the extension is tried, and the mail bounces only when none does. Whether the client asked for
 * SMTPUTF8 is queued with the message ({@link sluice.core.mail.QueuedMessage#smtpUtf8()}), and used as Postfix uses it:
 * asked for, MAIL carries SMTPUTF8 to every hop that offers it, and a hop without it gets the message without the
 * parameter unless a header block has UTF-8 (RFC 6532): the message's, a MIME part's or an enclosed message/rfc822's, as
 * Postfix counts them ({@code HeaderBlocks}; message/global is content). That needs SMTPUTF8 as a non-ASCII address does,
 * refused with 5.6.9 (RFC 6531 section 4.2: "UTF-8 header message cannot be transferred") where an address gets 5.6.7.
 * Not asked for, non-ASCII headers go as they are to every hop without the parameter: flagged, they could not go on past
 * a hop without SMTPUTF8.
 */
package sluice.core.deliver.remote;

package sluice.core.receive;

import sluice.core.connector.ConnectorType;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.InboundMatcher;
import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.Headers;
import sluice.core.mail.NetworkMessageId;
import sluice.core.org.AcceptedDomain;
import sluice.core.route.Route;
import sluice.core.route.RoutingContext;
import sluice.smtp.ConnectionInfo;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;
import sluice.smtp.SessionHandler;
import sluice.smtp.TlsInfo;
import sluice.smtp.Transaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inbound SMTP session. Attributes each transaction (inbound connector by certificate then IP,
 * or the authenticated mailbox), decides each recipient through the router, fails closed (a
 * recipient is accepted only when its domain is ours and a route vouches for it, or the source may
 * relay), and acknowledges a message only after the spool synced it.
 *
 * <p>A recipient belongs to the organization that accepts its domain (a relayed recipient to the
 * sender's, a postmaster stand-in to none). Each organization's rules and policies decide its own
 * recipients' copy of a message; what the connector or authentication vouches for (internal,
 * origin) counts only within its own organization ({@link Attribution#within}). So a transaction
 * from the internet or a connector carries the mail of one organization: the first accepted
 * recipient fixes it, and a recipient of another gets 452 (RFC 5321 section 4.5.3.1.10), so the
 * client sends it in a transaction of its own. Mail clients on authenticated submission do not
 * resend on 452 (Thunderbird reports an error and sends nothing), so there every recipient is
 * accepted and the message is split at DATA into one copy per organization, each decided as if it
 * had come alone ({@link Copies}).
 */
final class InboundSession implements SessionHandler {

    static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient OK");
    static final Reply BAD_RECIPIENT = Reply.of(501, "5.1.3", "Bad recipient address syntax");
    static final Reply RELAY_DENIED = Reply.of(550, "5.7.64", "TenantAttribution; Relay Access Denied");
    static final Reply ROUTING_IN_LOCAL_PART = Reply.of(550, "5.7.1", "Relay access denied: % ! or @ in the local part would route elsewhere");
    static final Reply MAILBOX_FULL = Reply.of(552, "5.2.2", "Mailbox full");
    static final Reply DIRECT_SEND_REFUSED = Reply.of(550, "5.7.68",
            "TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources");
    static final Reply OTHER_ORGANIZATION = Reply.of(452, "4.5.3",
            "Recipients of another organization must be sent in a separate transaction");
    /** Organizations one submitted message is split for (its copies); recipients of more wait for another transaction. */
    static final int MAX_COPIES = 10;
    static final Reply TOO_MANY_ORGANIZATIONS = Reply.of(452, "4.5.3",
            "Recipients of more than " + MAX_COPIES + " organizations must be sent in another transaction");
    static final Reply QUEUE_FAILED = Reply.of(451, "4.3.0", "Temporary failure storing the message, try again later");

    private final Receiver r;
    private final ConnectionInfo connection;
    private final Sender sender;
    private final List<Accepted> accepted = new ArrayList<>();
    private TlsInfo tls;
    private List<String> certificateNames = List.of();
    private Attribution attribution = Attribution.INTERNET;
    private Domain senderDomain;
    /** The connection as connectors see it, at MAIL FROM. */
    private InboundMatcher.Peer peer;

    /** A recipient accepted in this transaction, with the organization it belongs to (or null). */
    record Accepted(RcptTo command, Address address, String organizationId) {
    }

    InboundSession(Receiver receiver, ConnectionInfo connection, boolean submission) {
        this.r = receiver;
        this.connection = connection;
        this.sender = new Sender(receiver, connection, submission);
    }

    @Override
    public Reply connect() {
        r.pipeline.connected(connection.remote().getAddress());
        return null;
    }

    @Override
    public void tlsStarted(TlsInfo tls) {
        this.tls = tls;
        this.certificateNames = r.connectors.trustedNames(tls.peerCertificates());
    }

    @Override
    public Reply auth(String mechanism, String authorizationId, String username, String password) {
        return sender.authenticate(username, password);
    }

    @Override
    public Reply mail(MailFrom mailFrom) {
        accepted.clear();
        peer = new InboundMatcher.Peer(connection.remote().getAddress(), certificateNames, tls != null);
        Sender.Decision d = sender.decide(mailFrom, peer);
        attribution = d.attribution();
        senderDomain = d.senderDomain();
        return d.reply();
    }

    @Override
    public Reply rcpt(RcptTo rcptTo) {
        String path = rcptTo.forwardPath();
        int at = path.lastIndexOf('@');
        if (at > 0 && path.startsWith("[", at + 1)) return RELAY_DENIED; // address literals are never ours
        Address address;
        try {
            address = r.router.postmaster().bare(path).orElseGet(() -> Address.parse(path));
        } catch (IllegalArgumentException e) {
            return BAD_RECIPIENT;
        }
        Optional<AcceptedDomain> domain = r.router.acceptedDomain(address);
        if (domain.isEmpty() && accepted.isEmpty() && !attribution.mayRelay()) {
            // a relayed recipient is the sender's organization's: that of an OnPremises connector matching this connection
            r.connectors.onPremisesMatches(peer, senderDomain).stream().map(c -> sender.through(c, senderDomain, peer))
                    .filter(Attribution::mayRelay).findFirst().ifPresent(a -> attribution = a);
        }
        // the organization that accepts the domain owns the recipient; a relayed one is the sender's
        String org = domain.map(AcceptedDomain::organizationId).orElse(attribution.organizationId());
        if (attribution.submitter() == null && org != null) {
            Reply refused = ownConnectors(org);
            if (refused != null) return refused;
        }
        RoutingContext context = new RoutingContext(org, attribution.within(org).origin());
        if (r.router.postmasterStandIn(address, context).isPresent()) {
            // RFC 5321 section 4.5.1 MUST: the queue sends it to smtp.postmaster, or holds it until one is set;
            // no organization's: its own transaction, under the default policies
            return accept(rcptTo, address, null);
        }
        if (domain.isEmpty() && !attribution.mayRelay()) return RELAY_DENIED;
        if (domain.isPresent() && directSendRefused(domain.get())) return DIRECT_SEND_REFUSED;
        Route route = r.router.route(address, context);
        Reply refusal = switch (route) {
            case Route.Refuse refuse -> refuse.reply();
            case Route.ToMailbox box -> box.mailbox().quotaBytes() > 0
                    && r.mailboxes.usage(box.mailbox().id()) >= box.mailbox().quotaBytes() ? MAILBOX_FULL : null;
            case Route.ToSmartHost ignored -> routedByLocalPart(address) ? ROUTING_IN_LOCAL_PART : null;
            case Route.ToMx ignored -> routedByLocalPart(address) ? ROUTING_IN_LOCAL_PART : null;
        };
        if (refusal != null) return refusal;
        return accept(rcptTo, address, org);
    }

    /**
     * Whether a recipient that goes on to another server names a further destination in its local part
     * ({@code user%elsewhere}, {@code elsewhere!user}, {@code "user@elsewhere"}) for a sender who may not relay.
     * Many servers (Postfix's defaults among them) still deliver such an address to {@code user@elsewhere},
     * so passing it on would make the two of us an open relay (Postfix refuses it: allow_untrusted_routing).
     */
    private boolean routedByLocalPart(Address address) {
        if (attribution.mayRelay()) return false;
        String local = address.localPart();
        return local.indexOf('%') >= 0 || local.indexOf('!') >= 0 || local.indexOf('@') >= 0;
    }

    /**
     * The first accepted recipient fixes the transaction's organization, and one of another waits for
     * its own; but an authenticated sender's message is split at DATA (see {@link Copies}).
     */
    private Reply accept(RcptTo rcptTo, Address address, String organizationId) {
        boolean another = !accepted.isEmpty() && !Objects.equals(accepted.getFirst().organizationId(), organizationId);
        if (another && attribution.submitter() == null) return OTHER_ORGANIZATION;
        // each organization's copy is inspected and held in memory until DATA is answered: a bound
        if (another && accepted.stream().noneMatch(a -> Objects.equals(a.organizationId(), organizationId))
                && accepted.stream().map(Accepted::organizationId).distinct().count() >= MAX_COPIES) return TOO_MANY_ORGANIZATIONS;
        accepted.add(new Accepted(rcptTo, address, organizationId));
        return RECIPIENT_OK;
    }

    /**
     * The recipient's organization's connectors decide about its mail: while the transaction's
     * organization is not fixed yet, the connection is attributed to that organization's own
     * connector when one matches (another organization's connector matching the same connection
     * vouches for nothing here, see {@link Attribution#within}); then its Partner connectors'
     * conditions and its connector's TLS requirement apply.
     */
    private Reply ownConnectors(String org) {
        InboundConnector current = attribution.connector();
        if (accepted.isEmpty() && (current == null || !current.organizationId().equals(org))) {
            Optional<InboundConnector> own = r.connectors.attribute(peer, senderDomain, org);
            if (own.isPresent()) attribution = sender.through(own.get(), senderDomain, peer);
        }
        return sender.refusal(peer, senderDomain, org, attribution.connector());
    }

    /**
     * A bounce (null sender) that a server known by IP alone relays to a domain not ours must be the
     * organization's: its From in one of the organization's domains (EOP's check of the From header
     * when the envelope sender says nothing). Else any other host in the connector's IP range could
     * relay anything anywhere with {@code MAIL FROM:<>}.
     */
    private boolean relayedBounceIsTheOrganizations(byte[] content) {
        InboundConnector c = attribution.connector();
        if (senderDomain != null || c == null || c.type() != ConnectorType.ON_PREMISES
                || InboundMatcher.matchesCertificate(c, peer)) return true;
        if (accepted.stream().allMatch(a -> r.router.acceptedDomain(a.address()).isPresent())) return true;
        List<String> froms = Headers.all(content, "From", 2); // two: neither is the author, as DMARC reads them
        List<String> authors = froms.size() != 1 ? List.of() : AddressList.addrSpecs(froms.getFirst());
        if (authors.size() != 1 || !AddressList.isAddrSpec(authors.getFirst())) return false;
        try {
            return r.directory.acceptedDomainFor(Address.parse(authors.getFirst()).domain())
                    .map(d -> d.organizationId().equals(c.organizationId())).orElse(false);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * An organization that refuses direct send takes mail claiming to be from its own domains only
     * through one of its connectors or from its authenticated mailboxes.
     */
    private boolean directSendRefused(AcceptedDomain recipientDomain) {
        if (senderDomain == null || attribution.submitter() != null) return false;
        String org = recipientDomain.organizationId();
        if (attribution.connector() != null && attribution.connector().organizationId().equals(org)) return false;
        boolean refuses = r.directory.organization(org).map(o -> o.rejectDirectSend()).orElse(false);
        if (!refuses) return false;
        return r.directory.acceptedDomainFor(senderDomain).map(d -> d.organizationId().equals(org)).orElse(false);
    }

    @Override
    public Reply data(Transaction tx) {
        Reply sendAs = sender.checkFromHeader(attribution, tx.content());
        if (sendAs != null) return sendAs;
        if (!relayedBounceIsTheOrganizations(tx.content())) return RELAY_DENIED;
        Instant now = r.clock.instant();
        NetworkMessageId networkId = NetworkMessageId.random();
        List<Copy> copies = Copies.byOrganization(accepted, attribution.organizationId()).stream()
                .map(group -> new Copy(r, connection, tls, attribution, tx, now, networkId, group)).toList();
        accepted.clear();
        return new Copies(r, connection.sessionId(), copies).commit();
    }

    @Override
    public void reset() {
        accepted.clear();
        attribution = sender.sessionAttribution();
        senderDomain = null;
    }
}

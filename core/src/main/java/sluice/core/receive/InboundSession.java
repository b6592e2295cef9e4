package sluice.core.receive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.connector.InboundMatcher;
import sluice.core.connector.OriginatingIp;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.org.AcceptedDomain;
import sluice.core.route.Route;
import sluice.core.route.RoutingContext;
import sluice.core.trace.MessageFacts;
import sluice.core.trace.TraceEvent;
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
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One inbound SMTP session. Attributes each transaction (inbound connector by certificate then IP,
 * or the authenticated mailbox), decides each recipient through the router, fails closed (a
 * recipient is accepted only when its domain is ours and a route vouches for it, or the source may
 * relay), and acknowledges a message only after the spool synced it.
 */
final class InboundSession implements SessionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSession.class);

    static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient OK");
    static final Reply BAD_RECIPIENT = Reply.of(501, "5.1.3", "Bad recipient address syntax");
    static final Reply RELAY_DENIED = Reply.of(550, "5.7.64", "TenantAttribution; Relay Access Denied");
    static final Reply MAILBOX_FULL = Reply.of(552, "5.2.2", "Mailbox full");
    static final Reply DIRECT_SEND_REFUSED = Reply.of(550, "5.7.68",
            "TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources");
    static final Reply QUEUE_FAILED = Reply.of(451, "4.3.0", "Temporary failure storing the message, try again later");

    private final Receiver r;
    private final ConnectionInfo connection;
    private final Sender sender;
    private final List<Accepted> accepted = new ArrayList<>();
    private TlsInfo tls;
    private List<String> certificateNames = List.of();
    private Attribution attribution = Attribution.INTERNET;
    private Domain senderDomain;

    /** A recipient accepted in this transaction, with the organization it belongs to (or null). */
    private record Accepted(RcptTo command, Address address, String organizationId) {
    }

    InboundSession(Receiver receiver, ConnectionInfo connection, boolean submission) {
        this.r = receiver;
        this.connection = connection;
        this.sender = new Sender(receiver, connection, submission);
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
        InboundMatcher.Peer peer = new InboundMatcher.Peer(connection.remote().getAddress(), certificateNames, tls != null);
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
            address = Address.parse(path);
        } catch (IllegalArgumentException e) {
            return BAD_RECIPIENT;
        }
        Optional<AcceptedDomain> domain = r.router.acceptedDomain(address);
        if (domain.isEmpty() && !attribution.mayRelay()) return RELAY_DENIED;
        if (domain.isPresent() && directSendRefused(domain.get())) return DIRECT_SEND_REFUSED;
        String org = attribution.organizationId() != null ? attribution.organizationId()
                : domain.map(AcceptedDomain::organizationId).orElse(null);
        Route route = r.router.route(address, new RoutingContext(org, attribution.origin()));
        Reply refusal = switch (route) {
            case Route.Refuse refuse -> refuse.reply();
            case Route.ToMailbox box -> box.mailbox().quotaBytes() > 0
                    && r.mailboxes.usage(box.mailbox().id()) >= box.mailbox().quotaBytes() ? MAILBOX_FULL : null;
            case Route.ToSmartHost ignored -> null;
            case Route.ToMx ignored -> null;
        };
        if (refusal != null) return refusal;
        accepted.add(new Accepted(rcptTo, address, org));
        return RECIPIENT_OK;
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
        Instant now = r.clock.instant();
        QueueId id = QueueId.next(now);
        NetworkMessageId networkId = NetworkMessageId.random();
        String single = accepted.size() == 1 ? accepted.getFirst().address().toString() : null;
        byte[] received = ReceivedHeader.build(tx, r.hostname, id.value(), single, now.atZone(r.zone));
        byte[] body = attribution.internal() ? tx.content() : HeaderFirewall.strip(tx.content());
        byte[] content = new byte[received.length + body.length];
        System.arraycopy(received, 0, content, 0, received.length);
        System.arraycopy(body, 0, content, received.length, body.length);

        var orgs = accepted.stream().map(Accepted::organizationId).collect(Collectors.toSet());
        String organizationId = orgs.size() == 1 ? orgs.iterator().next() : null;
        MailFrom from = tx.mailFrom();
        String clientAddress = connection.remote().getAddress().getHostAddress();
        QueuedMessage message = new QueuedMessage(id, networkId, now, from.reversePath(), organizationId,
                from.ret() == null ? null : from.ret().name(), from.envId(), clientAddress, tx.heloName(), content,
                attribution.origin(), attribution.internal());
        List<QueuedRecipient> recipients = new ArrayList<>(accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            Accepted a = accepted.get(i);
            var notify = a.command().notifyOn().stream().map(Enum::name).collect(Collectors.toSet());
            recipients.add(new QueuedRecipient(id, i, a.address(), notify, a.command().orcpt(),
                    QueuedRecipient.State.QUEUED, 0, now, null, false));
        }
        try {
            r.spool.enqueue(message, recipients);
        } catch (RuntimeException e) {
            LOG.error("session {}: could not queue message from {}: {}", connection.sessionId(), clientAddress, e.toString());
            return QUEUE_FAILED;
        }
        MessageFacts facts = MessageFacts.of(networkId, id, from.reversePath(), content);
        String tlsText = tls == null ? null : tls.protocol() + " " + tls.cipherSuite();
        String how = "received from " + tx.heloName() + " [" + clientAddress + "] with " + ReceivedHeader.protocol(tx)
                + ", " + attribution.describe();
        var origin = OriginatingIp.recover(connection.remote().getAddress(), tx.content(), attribution.connector());
        if (!origin.equals(connection.remote().getAddress())) how += ", originating IP " + origin.getHostAddress();
        for (Accepted a : accepted) {
            r.trace.record(facts.event(now, TraceEvent.Type.RECEIVE, a.organizationId(), a.address().toString(),
                    clientAddress, tlsText, null, how));
        }
        r.queue.submit(message, recipients);
        accepted.clear();
        return Reply.of(250, "2.0.0", "Ok: queued as " + id.value());
    }

    @Override
    public void reset() {
        accepted.clear();
        attribution = sender.sessionAttribution();
        senderDomain = null;
    }
}

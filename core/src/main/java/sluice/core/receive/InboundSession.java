package sluice.core.receive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.connector.InboundMatcher;
import sluice.core.connector.OriginatingIp;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Verdict;
import sluice.core.quarantine.QuarantineReason;
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

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One inbound SMTP session. Attributes each transaction (inbound connector by certificate then IP,
 * or the authenticated mailbox), decides each recipient through the router, fails closed (a
 * recipient is accepted only when its domain is ours and a route vouches for it, or the source may
 * relay), and acknowledges a message only after the spool synced it.
 *
 * <p>A transaction carries the mail of one organization: a recipient belongs to the organization
 * that accepts its domain (a relayed recipient to the sender's, a postmaster stand-in to none), the
 * first accepted recipient fixes the transaction's, and a recipient of another gets 452 (RFC 5321
 * section 4.5.3.1.10), so the client sends it in a transaction of its own. That organization's
 * rules and policies then decide the message; what the connector or authentication vouches for
 * (internal, origin) counts only when they are that organization's.
 */
final class InboundSession implements SessionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSession.class);

    static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient OK");
    static final Reply BAD_RECIPIENT = Reply.of(501, "5.1.3", "Bad recipient address syntax");
    static final Reply RELAY_DENIED = Reply.of(550, "5.7.64", "TenantAttribution; Relay Access Denied");
    static final Reply MAILBOX_FULL = Reply.of(552, "5.2.2", "Mailbox full");
    static final Reply DIRECT_SEND_REFUSED = Reply.of(550, "5.7.68",
            "TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources");
    static final Reply OTHER_ORGANIZATION = Reply.of(452, "4.5.3",
            "Recipients of another organization must be sent in a separate transaction");
    static final Reply QUEUE_FAILED = Reply.of(451, "4.3.0", "Temporary failure storing the message, try again later");

    private final Receiver r;
    private final ConnectionInfo connection;
    private final Sender sender;
    private final List<Accepted> accepted = new ArrayList<>();
    private TlsInfo tls;
    private List<String> certificateNames = List.of();
    private Attribution attribution = Attribution.INTERNET;
    private Domain senderDomain;
    /** What mail flow rules decided for the message in DATA now. */
    private Facts.MailFlowRules rules = Facts.MailFlowRules.NONE;

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
            address = r.router.postmaster().bare(path).orElseGet(() -> Address.parse(path));
        } catch (IllegalArgumentException e) {
            return BAD_RECIPIENT;
        }
        Optional<AcceptedDomain> domain = r.router.acceptedDomain(address);
        // the organization that accepts the domain owns the recipient; a relayed one is the sender's
        String org = domain.map(AcceptedDomain::organizationId).orElse(attribution.organizationId());
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
            case Route.ToSmartHost ignored -> null;
            case Route.ToMx ignored -> null;
        };
        if (refusal != null) return refusal;
        return accept(rcptTo, address, org);
    }

    /** The first accepted recipient fixes the transaction's organization; one of another waits for its own. */
    private Reply accept(RcptTo rcptTo, Address address, String organizationId) {
        if (!accepted.isEmpty() && !Objects.equals(organizationId(), organizationId)) return OTHER_ORGANIZATION;
        accepted.add(new Accepted(rcptTo, address, organizationId));
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
        Attribution source = source();
        Instant now = r.clock.instant();
        QueueId id = QueueId.next(now);
        String single = accepted.size() == 1 ? accepted.getFirst().address().toString() : null;
        byte[] received = ReceivedHeader.build(tx, r.hostname, id.value(), single, now.atZone(r.zone));
        byte[] body = source.internal() ? tx.content() : HeaderFirewall.strip(tx.content(), r.hostname);
        InetAddress client = connection.remote().getAddress();
        InetAddress origin = OriginatingIp.recover(client, tx.content(), source.connector());
        Findings findings = new Findings();
        Verdict verdict = r.pipeline.inspect(new Inspection(organizationId(), source.internal(), source.origin(),
                client, origin, tx.heloName(), tls != null, tx.mailFrom().reversePath(),
                accepted.stream().map(Accepted::address).toList(), body), findings);
        rules = findings.fact(Facts.MailFlowRules.class).orElse(Facts.MailFlowRules.NONE);
        String how = "received from " + tx.heloName() + " [" + client.getHostAddress() + "] with "
                + ReceivedHeader.protocol(tx) + ", " + attribution.describe(organizationId())
                + (origin.equals(client) ? "" : ", originating IP " + origin.getHostAddress());
        Reply reply = switch (verdict) {
            case Verdict.Reject reject -> refused(tx, id, now, reject.reply(), TraceEvent.REJECTED + reject.reason(), how);
            case Verdict.Defer defer -> {
                LOG.warn("session {}: message deferred by protection: {}", connection.sessionId(), defer.reason());
                yield defer.reply();
            }
            case Verdict.Quarantine q -> quarantine(tx, id, now, Protection.withHeaders(received, q.headers(), body), q, how);
            case Verdict.Deliver d -> enqueue(tx, id, now, deliverable(received, d, body), how,
                    d.junk() || d.subjectPrefix() != null ? d.reason() : null);
            case Verdict.Drop drop -> dropped(tx, id, now, drop.reason(), how);
        };
        accepted.clear();
        rules = Facts.MailFlowRules.NONE;
        return reply;
    }

    /**
     * The delivered octets. The organization's own mail is signed after a rule changed its subject,
     * so the signature covers what the recipient sees; our header fields go above the signature.
     */
    private byte[] deliverable(byte[] received, Verdict.Deliver d, byte[] body) {
        if (attribution.internal() && d.subjectPrefix() != null && !d.subjectPrefix().isEmpty()) {
            body = Protection.prefixSubject(body, d.subjectPrefix());
            d = new Verdict.Deliver(d.junk(), d.headers(), null, d.reason());
        }
        return Protection.apply(received, d, signed(body));
    }

    /**
     * The sending organization's own mail leaves DKIM-signed by its From domain's active key, also
     * when it goes to another organization here (signing is the sender's, not the recipients').
     */
    private byte[] signed(byte[] body) {
        return attribution.internal() ? r.dkim.sign(attribution.organizationId(), body) : body;
    }

    /** The transaction's organization: its recipients' (null before the first, or for the postmaster). */
    private String organizationId() {
        return accepted.isEmpty() ? null : accepted.getFirst().organizationId();
    }

    /** What the sending side vouches for in this transaction's organization. */
    private Attribution source() {
        return attribution.within(organizationId());
    }

    private QueuedMessage message(Transaction tx, QueueId id, Instant now, byte[] content) {
        MailFrom from = tx.mailFrom();
        return new QueuedMessage(id, NetworkMessageId.random(), now, from.reversePath(), organizationId(),
                from.ret() == null ? null : from.ret().name(), from.envId(), connection.remote().getAddress().getHostAddress(),
                tx.heloName(), content, source().origin(), source().internal());
    }

    private List<QueuedRecipient> recipients(QueueId id, Instant now) {
        List<QueuedRecipient> recipients = new ArrayList<>(accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            Accepted a = accepted.get(i);
            var notify = a.command().notifyOn().stream().map(Enum::name).collect(Collectors.toSet());
            recipients.add(new QueuedRecipient(id, i, a.address(), notify, a.command().orcpt(),
                    QueuedRecipient.State.QUEUED, 0, now, null, false));
        }
        return recipients;
    }

    /** Made durable, traced, handed to the queue runner: only then 250. */
    private Reply enqueue(Transaction tx, QueueId id, Instant now, byte[] content, String how, String filtered) {
        QueuedMessage message = message(tx, id, now, content).withTransportRuleConnector(rules.routeUsingConnector());
        List<Accepted> received = List.copyOf(accepted);
        String organizationId = organizationId(); // before redirectTo empties the recipients
        List<Accepted> added = RuleRecipients.apply(rules, accepted, a -> ruleRecipient(a, organizationId));
        List<QueuedRecipient> recipients = recipients(id, now);
        try {
            r.spool.enqueue(message, recipients);
        } catch (RuntimeException e) {
            LOG.error("session {}: could not queue message from {}: {}", connection.sessionId(), message.clientAddress(), e.toString());
            return QUEUE_FAILED;
        }
        traceReceived(message, now, how, received);
        if (filtered != null) trace(message, now, TraceEvent.Type.FILTER, null, filtered, received);
        traceRules(message, now, received, added);
        r.queue.submit(message, recipients);
        return Reply.of(250, "2.0.0", "Ok: queued as " + id.value());
    }

    /** A recipient a mail flow rule added (redirectTo, addBcc): of the message's organization, default DSN. */
    private static Accepted ruleRecipient(String address, String organizationId) {
        return new Accepted(new RcptTo("<" + address + ">", java.util.Set.of(), null), Address.parse(address), organizationId);
    }

    /** The rules that matched, per original recipient; the recipients rules added get an EXPAND event. */
    private void traceRules(QueuedMessage m, Instant now, List<Accepted> received, List<Accepted> added) {
        for (Facts.MailFlowRules.Hit hit : rules.hits()) trace(m, now, TraceEvent.Type.FILTER, null, hit.describe(), received);
        MessageFacts facts = MessageFacts.of(m.networkId(), m.id(), m.sender(), m.content());
        for (Accepted a : added) {
            r.trace.record(facts.event(now, TraceEvent.Type.EXPAND, a.organizationId(), a.address().toString(), null, null, null,
                    "added by mail flow rule " + (rules.redirectTo().contains(a.address().toString()) ? "(redirectTo)" : "(addBcc)")));
        }
    }

    /** A mail flow rule deleted the message: 250 to the sender, nothing stored, the trace says why. */
    private Reply dropped(Transaction tx, QueueId id, Instant now, String reason, String how) {
        QueuedMessage message = message(tx, id, now, tx.content());
        traceReceived(message, now, how);
        traceRules(message, now, accepted, List.of());
        trace(message, now, TraceEvent.Type.FAIL, null, reason);
        return Reply.of(250, "2.0.0", "Ok: queued as " + id.value());
    }

    /** Held instead of queued; the quarantine records its own QUARANTINE events. */
    private Reply quarantine(Transaction tx, QueueId id, Instant now, byte[] content, Verdict.Quarantine q, String how) {
        QueuedMessage message = message(tx, id, now, content);
        try {
            traceReceived(message, now, how);
            traceRules(message, now, accepted, List.of());
            r.quarantine.quarantine(message, accepted.stream().map(Accepted::address).toList(),
                    QuarantineReason.valueOf(q.reason().name()), q.details());
        } catch (RuntimeException e) {
            LOG.error("session {}: could not quarantine message: {}", connection.sessionId(), e.toString());
            return QUEUE_FAILED;
        }
        return Reply.of(250, "2.0.0", "Ok: queued as " + id.value());
    }

    /** Refused in the dialogue: nothing is stored, but the trace shows who was refused and why. */
    private Reply refused(Transaction tx, QueueId id, Instant now, Reply reply, String reason, String how) {
        QueuedMessage message = message(tx, id, now, tx.content());
        traceReceived(message, now, how);
        traceRules(message, now, accepted, List.of());
        trace(message, now, TraceEvent.Type.FAIL, reply.toString(), reason);
        return reply;
    }

    private void traceReceived(QueuedMessage m, Instant now, String how) {
        traceReceived(m, now, how, accepted);
    }

    private void traceReceived(QueuedMessage m, Instant now, String how, List<Accepted> to) {
        String tlsText = tls == null ? null : tls.protocol() + " " + tls.cipherSuite();
        MessageFacts facts = MessageFacts.of(m.networkId(), m.id(), m.sender(), m.content());
        for (Accepted a : to) {
            r.trace.record(facts.event(now, TraceEvent.Type.RECEIVE, a.organizationId(), a.address().toString(),
                    m.clientAddress(), tlsText, null, how));
        }
    }

    private void trace(QueuedMessage m, Instant now, TraceEvent.Type type, String reply, String detail) {
        trace(m, now, type, reply, detail, accepted);
    }

    private void trace(QueuedMessage m, Instant now, TraceEvent.Type type, String reply, String detail, List<Accepted> to) {
        MessageFacts facts = MessageFacts.of(m.networkId(), m.id(), m.sender(), m.content());
        for (Accepted a : to) {
            r.trace.record(facts.event(now, type, a.organizationId(), a.address().toString(), null, null, reply, detail));
        }
    }

    @Override
    public void reset() {
        accepted.clear();
        attribution = sender.sessionAttribution();
        senderDomain = null;
    }
}

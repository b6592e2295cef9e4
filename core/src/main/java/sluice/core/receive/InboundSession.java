package sluice.core.receive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.org.AcceptedDomain;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;
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
 * One inbound SMTP session: decides each recipient through the router, fails closed (a recipient
 * is accepted only when its domain is ours and a route vouches for it, or the sender may relay), and
 * acknowledges a message only after the spool synced it.
 */
final class InboundSession implements SessionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSession.class);

    static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Sender OK");
    static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient OK");
    static final Reply BAD_SENDER = Reply.of(501, "5.1.7", "Bad sender address syntax");
    static final Reply BAD_RECIPIENT = Reply.of(501, "5.1.3", "Bad recipient address syntax");
    static final Reply UNABLE_TO_RELAY = Reply.of(550, "5.7.1", "Unable to relay");
    static final Reply MAILBOX_FULL = Reply.of(552, "5.2.2", "Mailbox full");
    static final Reply QUEUE_FAILED = Reply.of(451, "4.3.0", "Temporary failure storing the message, try again later");

    private final Receiver r;
    private final ConnectionInfo connection;
    private final List<Accepted> accepted = new ArrayList<>();
    private TlsInfo tls;

    /** A recipient accepted in this transaction, with the organization it belongs to (or null). */
    private record Accepted(RcptTo command, Address address, String organizationId) {
    }

    InboundSession(Receiver receiver, ConnectionInfo connection) {
        this.r = receiver;
        this.connection = connection;
    }

    @Override
    public void tlsStarted(TlsInfo tls) {
        this.tls = tls;
    }

    @Override
    public Reply mail(MailFrom mailFrom) {
        accepted.clear();
        if (mailFrom.isNullSender()) return SENDER_OK;
        try {
            Address.parse(mailFrom.reversePath());
            return SENDER_OK;
        } catch (IllegalArgumentException e) {
            return BAD_SENDER;
        }
    }

    @Override
    public Reply rcpt(RcptTo rcptTo) {
        String path = rcptTo.forwardPath();
        int at = path.lastIndexOf('@');
        if (at > 0 && path.startsWith("[", at + 1)) return UNABLE_TO_RELAY; // address literals are never ours
        Address address;
        try {
            address = Address.parse(path);
        } catch (IllegalArgumentException e) {
            return BAD_RECIPIENT;
        }
        Optional<AcceptedDomain> domain = r.router.acceptedDomain(address);
        if (domain.isEmpty()) return UNABLE_TO_RELAY;
        Route route = r.router.route(address);
        Reply refusal = switch (route) {
            case Route.Refuse refuse -> refuse.reply();
            case Route.ToMailbox box -> box.mailbox().quotaBytes() > 0
                    && r.mailboxes.usage(box.mailbox().id()) >= box.mailbox().quotaBytes() ? MAILBOX_FULL : null;
            case Route.ToSmartHost ignored -> null;
            case Route.ToMx ignored -> null;
        };
        if (refusal != null) return refusal;
        accepted.add(new Accepted(rcptTo, address, domain.get().organizationId()));
        return RECIPIENT_OK;
    }

    @Override
    public Reply data(Transaction tx) {
        Instant now = r.clock.instant();
        QueueId id = QueueId.next(now);
        NetworkMessageId networkId = NetworkMessageId.random();
        String single = accepted.size() == 1 ? accepted.getFirst().address().toString() : null;
        byte[] received = ReceivedHeader.build(tx, r.hostname, id.value(), single, now.atZone(r.zone));
        byte[] content = new byte[received.length + tx.content().length];
        System.arraycopy(received, 0, content, 0, received.length);
        System.arraycopy(tx.content(), 0, content, received.length, tx.content().length);

        var orgs = accepted.stream().map(Accepted::organizationId).collect(Collectors.toSet());
        String organizationId = orgs.size() == 1 ? orgs.iterator().next() : null;
        MailFrom from = tx.mailFrom();
        String clientAddress = connection.remote().getAddress().getHostAddress();
        QueuedMessage message = new QueuedMessage(id, networkId, now, from.reversePath(), organizationId,
                from.ret() == null ? null : from.ret().name(), from.envId(), clientAddress, tx.heloName(), content);
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
        for (Accepted a : accepted) {
            r.trace.record(facts.event(now, TraceEvent.Type.RECEIVE, a.organizationId(), a.address().toString(),
                    clientAddress, tlsText, null, "received from " + tx.heloName() + " [" + clientAddress + "]"
                            + " with " + ReceivedHeader.protocol(tx)));
        }
        r.queue.submit(message, recipients);
        accepted.clear();
        return Reply.of(250, "2.0.0", "Ok: queued as " + id.value());
    }

    @Override
    public void reset() {
        accepted.clear();
    }
}

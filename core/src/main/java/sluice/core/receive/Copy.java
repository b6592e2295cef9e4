package sluice.core.receive;

import sluice.core.connector.OriginatingIp;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Pipeline;
import sluice.core.filter.Verdict;
import sluice.core.mail.Headers;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.Spool;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.trace.MessageFacts;
import sluice.core.trace.TraceEvent;
import sluice.smtp.ConnectionInfo;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;
import sluice.smtp.TlsInfo;
import sluice.smtp.Transaction;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One organization's copy of a message received in DATA, decided exactly as if its recipients had
 * been sent alone in a transaction of their own: its own queue id and Received field (the network
 * message id is the message's, shared by its copies: PRODUCT.md, one id follows every copy; each
 * organization's trace still shows only its own recipients' events), what the sending side vouches for in that organization ({@link Attribution#within}), and
 * that organization's pipeline inspection (rules, policies) of its recipients only.
 *
 * <p>Deciding stores nothing; {@link Copies} stores every copy of the transaction, then each copy
 * traces what became of it, under its own organization.
 */
final class Copy {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Copy.class);

    private final Receiver r;
    private final Transaction tx;
    private final Instant now;
    private final String tlsText;
    private final String organizationId;
    private final String senderOrganizationId;
    /** The recipients as received, and the ones the message goes to (rules may redirect or add). */
    private final List<InboundSession.Accepted> received;
    private final List<InboundSession.Accepted> recipients;
    private final List<InboundSession.Accepted> added;
    private final Verdict verdict;
    private final Facts.MailFlowRules rules;
    /** Addresses a rule would redirect or Bcc to that belong to another organization: not added. */
    private final List<String> refusedRuleRecipients;
    /** Fields a rule sets that name another organization's addresses (a domain moved since the rule was saved): not set, with why. */
    private final java.util.Map<String, String> refusedRuleFields = new java.util.LinkedHashMap<>();
    /** A rule redirected the message, and every redirect address was left out: it goes to its own recipients. */
    private final boolean redirectDropped;
    /** Why the message may not be sent outside the organization by a rule (spam from outside, a malware hold), or null. */
    private final String notSentOutBecause;
    /** Addresses outside the organization a rule would redirect or Bcc such a message to: not added. */
    private final List<String> junkNotSentOut;
    private final String how;
    private final QueuedMessage message;
    /** Another organization's copy of the sender's own mail: signed first, then inspected (see the constructor). */
    private final boolean signedBeforeInspection;

    Copy(Receiver r, ConnectionInfo connection, TlsInfo tls, Attribution attribution, Transaction tx, Instant now,
         NetworkMessageId networkId, List<InboundSession.Accepted> group) {
        this.r = r;
        this.tx = tx;
        this.now = now;
        this.tlsText = tls == null ? null : tls.protocol() + " " + tls.cipherSuite();
        this.organizationId = group.getFirst().organizationId();
        this.senderOrganizationId = attribution.organizationId();
        this.received = List.copyOf(group);
        QueueId id = QueueId.next(now);
        Attribution source = attribution.within(organizationId);
        String single = group.size() == 1 ? group.getFirst().address().toString() : null;
        byte[] receivedHeader = ReceivedHeader.build(tx, r.hostname, id.value(), single, now.atZone(r.zone));
        byte[] separated = Headers.withSeparator(tx.content());
        byte[] body = source.internal() ? separated : HeaderFirewall.strip(separated, r.hostname);
        // another organization's copy of the sender's own mail is inspected as that organization sees
        // it arrive: already DKIM-signed by the sender's organization (as EOP's outbound would sign it),
        // so its DMARC can pass, rather than judged unsigned from the submitting client's address
        this.signedBeforeInspection = attribution.internal() && !source.internal();
        if (signedBeforeInspection) body = r.dkim.sign(attribution.organizationId(), body);
        // the sender's signatures cover the message as they wrote it, before the empty line we added
        byte[] asSigned = signedBeforeInspection || separated == tx.content() ? body
                : source.internal() ? tx.content() : HeaderFirewall.strip(tx.content(), r.hostname);
        InetAddress client = connection.remote().getAddress();
        InetAddress origin = OriginatingIp.recover(client, tx.content(), source.connector());
        Findings findings = new Findings();
        this.verdict = r.pipeline.inspect(new Inspection(organizationId, source.internal(), source.origin(),
                client, origin, tx.heloName(), tls != null, tx.mailFrom().reversePath(),
                group.stream().map(InboundSession.Accepted::address).toList(), body, asSigned), findings);
        Facts.MailFlowRules found = findings.fact(Facts.MailFlowRules.class).orElse(Facts.MailFlowRules.NONE);
        List<String> named = java.util.stream.Stream.concat(found.redirectTo().stream(), found.addBcc().stream()).distinct().toList();
        this.refusedRuleRecipients = named.stream().filter(this::ofAnotherOrganization).toList();
        for (String field : found.headers()) {
            int colon = field.indexOf(':');
            String why = sluice.core.rule.RuleActions.SetHeader.foreignAddress(field.substring(0, colon),
                    field.substring(colon + 1).replace("\r\n", ""), organizationId,
                    d -> r.directory.acceptedDomainFor(d).map(sluice.core.org.AcceptedDomain::organizationId));
            if (why != null) refusedRuleFields.put(field, why);
        }
        // spam from outside is not sent on outside the organization, whatever its final action (Junk folder, subject
        // prefix, header, quarantine and a later release, or a rule's SCL -1 or the allow list, which are the
        // organization's own judgement of mail for its own mailboxes): our servers would relay spam under their name.
        // Nor is malware that is held: a release would send it on to the rule's recipient outside
        String spamCategory = source.internal() ? null : findings.fact(Pipeline.Classification.class)
                .filter(Pipeline.Classification::spam).map(Pipeline.Classification::category).orElse(null);
        this.notSentOutBecause = verdict instanceof Verdict.Quarantine q && q.reason() == Verdict.QuarantineReason.MALWARE
                ? "the message is held as malware"
                : spamCategory != null ? "the message is spam from outside (category " + spamCategory + ")" : null;
        this.junkNotSentOut = notSentOutBecause != null
                ? named.stream().filter(a -> !refusedRuleRecipients.contains(a) && !ofThisOrganization(a)).toList() : List.of();
        this.rules = found.withoutRecipients(a -> refusedRuleRecipients.contains(a) || junkNotSentOut.contains(a));
        // with every redirect address left out the message stays with the recipients it came for: the admin redirected
        // away from them, but losing the mail would be worse; the trace says so
        this.redirectDropped = !found.redirectTo().isEmpty() && rules.redirectTo().isEmpty();
        this.how = "received from " + tx.heloName() + " [" + client.getHostAddress() + "] with "
                + ReceivedHeader.protocol(tx) + ", " + attribution.describe(organizationId)
                + (origin.equals(client) ? "" : ", originating IP " + origin.getHostAddress());
        byte[] content = switch (verdict) {
            case Verdict.Deliver d -> deliverable(attribution, receivedHeader, d, body);
            // signed now as delivery would sign it: a release only adds its field above, and queues these octets
            case Verdict.Quarantine q -> deliverable(attribution, receivedHeader, new Verdict.Deliver(false, q.headers(), null, q.details()), body);
            case Verdict.Reject ignored -> tx.content();
            case Verdict.Defer ignored -> tx.content();
            case Verdict.Drop ignored -> tx.content();
        };
        MailFrom from = tx.mailFrom();
        // the client's SMTPUTF8 request is kept, as Postfix keeps it: delivery asks next hops for it in turn
        this.message = new QueuedMessage(id, networkId, now, from.reversePath(), organizationId,
                from.ret() == null ? null : from.ret().name(), from.envId(), client.getHostAddress(), tx.heloName(),
                content, source.origin(), source.internal(), null, from.smtpUtf8());
        List<InboundSession.Accepted> to = new ArrayList<>(group);
        // a held copy is held for the recipients it would have gone to: a release delivers the redirect and the Bcc
        // as delivery would have, and until then they get nothing, like everyone else
        boolean goesOn = verdict instanceof Verdict.Deliver || verdict instanceof Verdict.Quarantine;
        this.added = goesOn ? RuleRecipients.apply(rules, to, a -> ruleRecipient(a, Set.of()),
                a -> ruleRecipient(a, Set.of(RcptTo.Notify.NEVER))) : List.of();
        this.recipients = List.copyOf(to);
    }

    Verdict verdict() {
        return verdict;
    }

    QueueId id() {
        return message.id();
    }

    /**
     * The delivered (or held, then released) octets. The sending organization's own mail is signed after a rule changed its
     * subject, so the signature covers what the recipient sees; our header fields go above the
     * signature. Signing is the sender's, not the recipients': another organization's copy is signed too,
     * before its inspection.
     */
    private byte[] deliverable(Attribution attribution, byte[] receivedHeader, Verdict.Deliver d, byte[] body) {
        boolean sign = attribution.internal() && !signedBeforeInspection;
        // what rules set replaces the message's fields of those names, so it goes into the message itself; when signing,
        // under the signature: the signer over-signs such fields (a Reply-To, a Cc), so one added above it afterwards
        // would break it (and DMARC with it) for every message the rule touches
        List<String> rules = d.headers().stream().filter(h -> !isOurs(h) && !refusedRuleFields.containsKey(h)).toList();
        if (!rules.isEmpty()) body = Protection.withHeaders(new byte[0], rules, body);
        d = new Verdict.Deliver(d.junk(), d.headers().stream().filter(Copy::isOurs).toList(), d.subjectPrefix(), d.reason());
        if (sign) {
            if (d.subjectPrefix() != null && !d.subjectPrefix().isEmpty()) body = Protection.prefixSubject(body, d.subjectPrefix());
            d = new Verdict.Deliver(d.junk(), d.headers(), null, d.reason());
        }
        return Protection.apply(receivedHeader, d, sign ? r.dkim.sign(attribution.organizationId(), body) : body);
    }

    /** Sluice's own trace fields, which stay above the signature (a receiver adds such fields there too). */
    private static boolean isOurs(String field) {
        return field.regionMatches(true, 0, HeaderFirewall.PREFIX, 0, HeaderFirewall.PREFIX.length())
                || field.regionMatches(true, 0, "Authentication-Results:", 0, "Authentication-Results:".length());
    }

    /**
     * An address in another organization's accepted domain. A rule's recipient would reach that
     * organization's mailboxes with this organization's verdict, past its own protection and rules;
     * the admin API refuses such addresses, and this catches a domain accepted after the rule was made.
     */
    private boolean ofAnotherOrganization(String address) {
        try {
            return r.directory.acceptedDomainFor(Address.parse(address).domain())
                    .map(d -> !d.organizationId().equals(organizationId)).orElse(false);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private boolean ofThisOrganization(String address) {
        return r.directory.acceptedDomainFor(Address.parse(address).domain())
                .map(d -> d.organizationId().equals(organizationId)).orElse(false);
    }

    /**
     * A recipient a mail flow rule added, of this copy's organization. An addBcc recipient gets NOTIFY=NEVER: the
     * sender did not ask for it, and a report of its failure would name a hidden Bcc. A redirectTo recipient keeps
     * the default: it replaced the recipients the sender chose, so a failure to reach it is the sender's to hear
     * of (else the message would be lost without a word).
     */
    private InboundSession.Accepted ruleRecipient(String address, Set<RcptTo.Notify> notify) {
        return new InboundSession.Accepted(new RcptTo(address, notify, null), Address.parse(address), organizationId);
    }

    private List<QueuedRecipient> queuedRecipients(List<InboundSession.Accepted> to) {
        List<QueuedRecipient> out = new ArrayList<>(to.size());
        for (int i = 0; i < to.size(); i++) {
            InboundSession.Accepted a = to.get(i);
            var notify = a.command().notifyOn().stream().map(Enum::name).collect(Collectors.toSet());
            out.add(new QueuedRecipient(message.id(), i, a.address(), notify, a.command().orcpt(),
                    QueuedRecipient.State.QUEUED, 0, now, null, false));
        }
        return out;
    }

    /** What to store for a deliver verdict: the message and the recipients it goes to. */
    Spool.Generated queued() {
        return new Spool.Generated(message.withTransportRuleConnector(rules.routeUsingConnector()), queuedRecipients(recipients));
    }

    /** After {@link #queued()} was stored: traced, then handed to the queue runner. */
    void submitted(Spool.Generated stored) {
        traceReceived();
        Verdict.Deliver d = (Verdict.Deliver) verdict;
        if (d.junk() || d.subjectPrefix() != null) trace(TraceEvent.Type.FILTER, null, d.reason(), received);
        traceRules();
        r.queue.submit(stored.message(), stored.recipients());
    }

    /**
     * Held instead of queued; the quarantine records its own QUARANTINE events, after our RECEIVE.
     * Throws when the quarantine cannot store it.
     */
    void quarantine() {
        traceReceived();
        traceRules();
        Verdict.Quarantine q = (Verdict.Quarantine) verdict;
        // the envelope as it would have been queued (DSN request, the rule's connector): a release queues it so
        r.quarantine.quarantine(message.withTransportRuleConnector(rules.routeUsingConnector()), queuedRecipients(recipients),
                QuarantineReason.valueOf(q.reason().name()), q.details());
    }

    /** A mail flow rule deleted the copy: nothing stored, the trace says why. */
    void dropped() {
        traceReceived();
        traceRules();
        trace(TraceEvent.Type.FAIL, null, ((Verdict.Drop) verdict).reason(), received);
    }

    /** Refused: nothing stored, but the trace shows who was refused and why. */
    void refused() {
        Verdict.Reject reject = (Verdict.Reject) verdict;
        traceReceived();
        traceRules();
        trace(TraceEvent.Type.FAIL, reject.reply().toString(), TraceEvent.REJECTED + reject.reason(), received);
    }

    /** {@link #quarantine()} failed although the transaction was accepted: the trace says so. */
    void lost(Reply reply, String reason) {
        trace(TraceEvent.Type.FAIL, reply.toString(), reason, received);
    }

    /**
     * The sender's non-delivery report for this copy's recipients, with {@code reply} and {@code why} for
     * the sender: mail of the sender's organization, where its recipient is.
     */
    QueueRunner.Reports nonDelivery(Reply reply, String why) {
        return r.queue.refusedAtReceipt(message, queuedRecipients(received), reply.toString(), why, senderOrganizationId, now);
    }

    /** The rules that matched, per original recipient; the recipients rules added get an EXPAND event. */
    private void traceRules() {
        for (Facts.MailFlowRules.Hit hit : rules.hits()) trace(TraceEvent.Type.FILTER, null, hit.describe(), received);
        for (String address : refusedRuleRecipients) {
            LOG.warn("message {}: a mail flow rule of organization {} names {}, which is in another organization's domain; not added",
                    message.id(), organizationId, address);
            trace(TraceEvent.Type.FILTER, null, "mail flow rule recipient " + address
                    + " not added: it is in another organization's domain", received);
        }
        for (var refused : refusedRuleFields.entrySet()) {
            String name = refused.getKey().substring(0, refused.getKey().indexOf(':'));
            LOG.warn("message {}: a mail flow rule of organization {} sets {} to an address of another organization; not set",
                    message.id(), organizationId, name);
            trace(TraceEvent.Type.FILTER, null, "mail flow rule setHeader of " + name + " not applied: "
                    + refused.getValue(), received);
        }
        for (String address : junkNotSentOut) {
            trace(TraceEvent.Type.FILTER, null, "mail flow rule recipient " + address
                    + " not added: " + notSentOutBecause + " and the address is outside the organization", received);
        }
        if (redirectDropped) {
            trace(TraceEvent.Type.FILTER, null, "mail flow rule redirect not followed: none of its addresses could be added;"
                    + " the message stays with its original recipients", received);
        }
        MessageFacts facts = facts();
        for (InboundSession.Accepted a : added) {
            r.trace.record(facts.event(now, TraceEvent.Type.EXPAND, a.organizationId(), a.address().toString(), null, null, null,
                    "added by mail flow rule " + (rules.redirectTo().contains(a.address().toString()) ? "(redirectTo)" : "(addBcc)")));
        }
    }

    private void traceReceived() {
        MessageFacts facts = facts();
        for (InboundSession.Accepted a : received) {
            r.trace.record(facts.event(now, TraceEvent.Type.RECEIVE, a.organizationId(), a.address().toString(),
                    message.clientAddress(), tlsText, null, how));
        }
    }

    private void trace(TraceEvent.Type type, String reply, String detail, List<InboundSession.Accepted> to) {
        MessageFacts facts = facts();
        for (InboundSession.Accepted a : to) {
            r.trace.record(facts.event(now, type, a.organizationId(), a.address().toString(), null, null, reply, detail));
        }
    }

    private MessageFacts facts() {
        return MessageFacts.of(message.networkId(), message.id(), message.sender(), message.content());
    }
}

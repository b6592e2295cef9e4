package sluice.core.receive;

import sluice.core.connector.InboundConnector;
import sluice.core.connector.InboundMatcher;
import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.Headers;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;
import sluice.smtp.ConnectionInfo;
import sluice.smtp.MailFrom;
import sluice.smtp.Reply;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * The sender side of a session: SMTP AUTH against mailbox credentials, and the decision at MAIL FROM
 * (who sends, may they use this address, does a Partner connector's condition refuse them).
 */
final class Sender {

    static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Sender OK");
    static final Reply BAD_SENDER = Reply.of(501, "5.1.7", "Bad sender address syntax");
    static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "Authentication required");
    static final Reply NO_FROM = Reply.of(550, "5.6.0", "The message has no From field; every message needs one (RFC 5322 section 3.6)");
    static final Reply TOO_MANY_FROM = Reply.of(550, "5.6.0", "The message has more than " + AddressList.MAX_FROM_FIELDS
            + " From fields, more than are checked; RFC 5322 section 3.6 allows one");
    static final Reply SEND_AS_DENIED = Reply.of(550, "5.7.60", "SMTP; Client does not have permissions to send as this sender");
    static final Reply AUTH_OK = Reply.of(235, "2.7.0", "Authentication successful");
    static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    static final Reply AUTH_BUSY = Reply.of(454, "4.7.0", "Temporary authentication failure: too many logins at once, try again later");
    static final Reply AUTH_THROTTLED = Reply.of(454, "4.7.0", "Too many failed authentication attempts, try again later");

    /** One decoy hash per set of Argon2 parameters, made on first use. */
    private static final Map<Passwords, String> DECOYS = Collections.synchronizedMap(new WeakHashMap<>());

    record Decision(Reply reply, Attribution attribution, Domain senderDomain) {
    }

    private final Receiver r;
    private final ConnectionInfo connection;
    private final boolean submission;
    private Mailbox authenticated;

    Sender(Receiver receiver, ConnectionInfo connection, boolean submission) {
        this.r = receiver;
        this.connection = connection;
        this.submission = submission;
    }

    Reply authenticate(String username, String password) {
        String ip = connection.remote().getAddress().getHostAddress();
        if (!submission) return Reply.of(503, "5.5.1", "AUTH not available on this port");
        Optional<Mailbox> mailbox;
        try {
            mailbox = r.directory.mailboxFor(Address.parse(username));
        } catch (IllegalArgumentException e) {
            mailbox = Optional.empty();
        }
        // Without a mailbox or a password, a decoy hash is verified all the same: timing must not tell which exist.
        String hash = mailbox.map(Mailbox::passwordHash).orElse(null);
        String checked = hash != null ? hash : DECOYS.computeIfAbsent(r.passwords, p -> p.hash(UUID.randomUUID().toString()));
        return switch (r.limits.checkLogin(ip, r.clock, () -> r.passwords.verify(password, checked) && hash != null)) {
            case ACCEPTED -> {
                authenticated = mailbox.get();
                yield AUTH_OK;
            }
            case REJECTED -> AUTH_FAILED;
            case THROTTLED -> AUTH_THROTTLED;
            case BUSY -> AUTH_BUSY;
        };
    }

    /** What a new transaction starts with: the authenticated mailbox, or nobody. */
    Attribution sessionAttribution() {
        return authenticated == null ? Attribution.INTERNET : Attribution.submission(authenticated);
    }

    Decision decide(MailFrom mailFrom, InboundMatcher.Peer peer) {
        Address from = null;
        if (!mailFrom.isNullSender()) {
            try {
                from = Address.parse(mailFrom.reversePath());
            } catch (IllegalArgumentException e) {
                return new Decision(BAD_SENDER, Attribution.INTERNET, null);
            }
        }
        Domain domain = from == null ? null : from.domain();
        if (submission) return submissionDecision(from);
        // Connectors' conditions (TLS, a partner's IPs or certificate) are checked at RCPT, by the
        // recipients' organization's own connectors (see refusal): here no recipient is known yet.
        return new Decision(SENDER_OK, r.connectors.attribute(peer, domain).map(c -> through(c, domain, peer))
                .orElse(Attribution.INTERNET), domain);
    }

    /** Mail from {@code senderDomain} (null: the null sender) through {@code c}, over {@code peer}. */
    Attribution through(InboundConnector c, Domain senderDomain, InboundMatcher.Peer peer) {
        return Attribution.through(c, inOrganization(senderDomain, c.organizationId()),
                senderDomain == null || InboundMatcher.matchesCertificate(c, peer));
    }

    /**
     * What {@code organizationId}'s connectors require of this connection for a recipient of theirs:
     * a Partner connector's conditions for its sender domain, and TLS when the connector this mail
     * comes through ({@code through}, that organization's) requires it; null when nothing is missing.
     */
    Reply refusal(InboundMatcher.Peer peer, Domain senderDomain, String organizationId, InboundConnector through) {
        var restriction = r.connectors.restriction(peer, senderDomain, organizationId);
        if (restriction.isPresent()) {
            InboundConnector c = restriction.get().connector();
            return c.requireTls() && !peer.tls() ? tlsRequired(c)
                    : Reply.of(550, "5.7.51", "TenantInboundAttribution; " + restriction.get().reason());
        }
        if (through != null && through.organizationId().equals(organizationId) && through.requireTls() && !peer.tls())
            return tlsRequired(through);
        return null;
    }

    private static Reply tlsRequired(InboundConnector c) {
        return Reply.of(530, "5.7.0", "Must issue a STARTTLS command first (required by connector " + c.name() + ")");
    }

    private boolean inOrganization(Domain senderDomain, String organizationId) {
        return senderDomain != null && r.directory.acceptedDomainFor(senderDomain)
                .map(d -> d.organizationId().equals(organizationId)).orElse(false);
    }

    private Decision submissionDecision(Address from) {
        if (authenticated == null) return new Decision(AUTH_REQUIRED, Attribution.INTERNET, null);
        Attribution self = Attribution.submission(authenticated);
        if (from == null || !owns(authenticated, from)) return new Decision(SEND_AS_DENIED, self, null);
        if (!r.limits.trySend(authenticated.id(), r.clock)) {
            return new Decision(Reply.of(450, "4.7.0", "Rate limit exceeded: " + authenticated.address() + " may send "
                    + r.limits.messagesPerWindow() + " messages per minute, try again later"), self, from.domain());
        }
        return new Decision(SENDER_OK, self, from.domain());
    }

    /**
     * For submitted mail, every From: address must be one of the sender's own (RFC 5322 section
     * 3.6.2), read as mail readers and DMARC read it ({@link AddressList}: an address in a comment is
     * no address, and each of several counts), in every From field; a From field with no address
     * at all is refused too, and so is a message with more From fields than are read ({@link AddressList#MAX_FROM_FIELDS}),
     * rather than checked in part.
     */
    Reply checkFromHeader(Attribution attribution, byte[] content) {
        Mailbox m = attribution.submitter();
        if (m == null) return null;
        // one more than is read, to know there are more: a field past the cap would go unchecked
        List<String> froms = Headers.all(content, "From", AddressList.MAX_FROM_FIELDS + 1);
        // RFC 5322 section 3.6 requires one; without it the next hop, DMARC and the recipient each guess
        if (froms.isEmpty()) return NO_FROM;
        if (froms.size() > AddressList.MAX_FROM_FIELDS) return TOO_MANY_FROM;
        for (String value : froms) {
            List<String> addresses = AddressList.addrSpecs(value);
            if (addresses.isEmpty()) return SEND_AS_DENIED;
            for (String addr : addresses) {
                try {
                    if (!owns(m, Address.parse(addr))) return SEND_AS_DENIED;
                } catch (RuntimeException e) { // an address that cannot be read is no address the submitter owns
                    return SEND_AS_DENIED;
                }
            }
        }
        return null;
    }

    /**
     * {@code a} is one of {@code m}'s addresses, in a name no other organization holds: a mailbox left under a domain
     * that has since gone to another organization (an older version or another node may leave one) does not speak for it.
     */
    private boolean owns(Mailbox m, Address a) {
        boolean its = m.address().key().equals(a.key()) || m.aliases().stream().anyMatch(x -> x.key().equals(a.key()));
        return its && r.directory.acceptedDomainFor(a.domain()).map(d -> d.organizationId().equals(m.organizationId())).orElse(true);
    }
}

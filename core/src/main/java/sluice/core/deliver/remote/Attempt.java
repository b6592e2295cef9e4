package sluice.core.deliver.remote;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.deliver.Outcome;
import sluice.core.route.TlsPolicy;
import sluice.core.trace.Incident;
import sluice.smtp.Reply;
import sluice.smtp.TlsInfo;
import sluice.smtp.MailFrom;
import sluice.smtp.client.Capabilities;
import sluice.smtp.client.Content;
import sluice.smtp.client.SmtpClientException;
import sluice.smtp.client.SmtpConnection;
import sluice.smtp.client.TransactionResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** One delivery attempt at one address: a connection (reused or new), one transaction, the outcomes. */
final class Attempt {

    private static final Logger log = LoggerFactory.getLogger(Attempt.class);

    /** What an attempt at one host came to. */
    sealed interface Result permits Done, TryNext {}

    /** Final for this attempt: one outcome per recipient. */
    record Done(List<Outcome> outcomes) implements Result {}

    /**
     * This host could not take the message; another may. {@code permanent} when it said 5xx; {@code notAttempted}
     * when it was not tried at all, its connections being all in use or the wait for one interrupted
     * ({@link Outcome.Deferred#notAttempted}).
     */
    record TryNext(String reply, String detail, boolean permanent, boolean notAttempted) implements Result {
        TryNext(String reply, String detail, boolean permanent) {
            this(reply, detail, permanent, false);
        }
    }

    private final ConnectionPool pool;
    private final SecureConnector connector;

    Attempt(ConnectionPool pool, SecureConnector connector) {
        this.pool = pool;
        this.connector = connector;
    }

    /**
     * Waits for a connection permit for {@code t}, then runs the transaction inside {@code admission}: waiting for
     * a busy server's connections takes no node delivery slot. Should the node have no slot free at once, the permit
     * goes back while this waits for one (the server's other domains may use it meanwhile: nothing is open), and is
     * taken again, within the pool's bounded wait, once the slot is held. The envelope (and so the body) is read once
     * admitted.
     *
     * @throws InterruptedException not admitted: nothing was sent, and the permit is handed back
     */
    Result run(Target t, TlsPolicy policy, String requiredBy, Supplier<Envelope> envelope, Admission admission)
            throws InterruptedException {
        Destination d = Destination.of(t, policy);
        Permit first = permit(d, t);
        if (first.refused() != null) return first.refused();
        Optional<Result> now;
        try {
            now = admission.admitNow(() -> first.tx.run(t, policy, requiredBy, envelope));
        } finally {
            first.release();
        }
        if (now.isPresent()) return now.get();
        return admission.admit(() -> {
            Permit again = permit(d, t);
            if (again.refused() != null) return again.refused();
            try {
                return again.tx.run(t, policy, requiredBy, envelope);
            } finally {
                again.release();
            }
        });
    }

    /** A connection permit for one destination with its transaction, or why there is none. */
    private final class Permit {
        final Destination d;
        final Transaction tx;
        private final Result refused;

        Permit(Destination d, Transaction tx, Result refused) {
            this.d = d;
            this.tx = tx;
            this.refused = refused;
        }

        Result refused() {
            return refused;
        }

        /** Hands the permit back, and the connection if it may carry more mail (an idle one left unused still may). */
        void release() {
            pool.release(d, tx.connection, tx.reusable);
        }
    }

    private Permit permit(Destination d, Target t) {
        try {
            return new Permit(d, new Transaction(pool.acquire(d)), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // nothing was sent: no attempt, so neither the backoff nor the recipient's last reply changes
            return new Permit(d, null, new TryNext(Outcome.Deferred.SHUTTING_DOWN,
                    "interrupted while waiting for a connection to " + t.display(), false, true));
        } catch (ConnectionPool.Busy busy) {
            return new Permit(d, null, new TryNext("451 4.4.5 Too many connections to " + t.display() + " already; will retry",
                    "no connection to " + t.display() + " came free in time (its limit is shared by every domain it serves)", false, true));
        }
    }

    /** One transaction on the connection the pool gave: an idle one to reuse, or none, and then it opens one. */
    private final class Transaction {
        SmtpConnection connection;
        /** Whether the connection may carry more mail afterwards; an idle one left unused (not admitted) still may. */
        boolean reusable = true;

        Transaction(SmtpConnection idle) {
            this.connection = idle;
        }

        Result run(Target t, TlsPolicy policy, String requiredBy, Supplier<Envelope> envelope) {
            Envelope env = envelope.get(); // should reading the body fail, the connection is still untouched
            reusable = false;
            try {
                connection = reuse(connection);
                if (connection == null) connection = connector.open(t, policy, requiredBy);
                Capabilities caps = connection.capabilities();
                reusable = true;
                if (env.needsSmtpUtf8() && !caps.smtpUtf8()) return smtpUtf8Refused(t, env.smtpUtf8Need());
                MailFrom mail = env.mail();
                Content content = Content.of(env.content());
                if (!caps.eightBitMime() && env.eightBitBody()) {
                    // RFC 6152 section 3: no 8-bit data to a server without 8BITMIME; converted as Postfix does
                    SevenBitDowngrade.Result seven = SevenBitDowngrade.of(env.content());
                    if (seven.unconvertible() != null) // permanent here; another MX may offer 8BITMIME
                        return new TryNext("554 5.6.3 " + t.display() + " does not support 8BITMIME and the message"
                                + " cannot be converted to 7-bit: " + seven.unconvertible(), "RFC 6152: " + t.display()
                                + " did not offer 8BITMIME; " + seven.unconvertible(), true);
                    content = seven.content();
                    mail = new MailFrom(mail.reversePath(), content.size(), MailFrom.Body.SEVEN_BIT, mail.smtpUtf8(), mail.ret(), mail.envId());
                }
                if (caps.tooLarge(content.size()))
                    return all(env, new Outcome.Bounced("552 5.3.4 Message too big for " + t.display() + " (" + content.size()
                            + " bytes, limit " + caps.maxSize() + ")", t.display() + " announced SIZE " + caps.maxSize()));
                reusable = false; // until the transaction ends normally: whatever else it throws, the connection is not pooled
                TransactionResult r = connection.send(mail, env.rcpts(), content);
                reusable = true;
                return new Done(outcomes(r, t, connection.tls(), caps.dsn(), env.rcpts().size()));
            } catch (TlsFailure f) { // its text shows the peer's only through PeerText (SecureConnector)
                return new TryNext(f.reply(), f.getMessage(), false);
            } catch (SmtpClientException e) {
                reusable = false;
                return failed(t, e, env);
            }
        }
    }

    /**
     * RFC 6531 section 3.2 lets a message that needs SMTPUTF8 be returned when the next hop lacks it; there is no
     * downgrade. Permanent for this host only: another MX may offer it, and only when none does does the mail bounce.
     * {@code need} says what needs it ({@link Envelope#smtpUtf8Need}).
     */
    private static TryNext smtpUtf8Refused(Target t, Envelope.Utf8Need need) {
        return new TryNext("550 " + need.code + " " + need.reply + " requires SMTPUTF8, which " + t.display() + " does not support",
                "RFC 6531: " + t.display() + " did not offer SMTPUTF8" + need.detail, true);
    }

    /** An idle connection is checked with RSET; a stale one is dropped and the caller opens a new one. */
    private static SmtpConnection reuse(SmtpConnection idle) {
        if (idle == null) return null;
        try {
            idle.reset();
            // a watchdog that fired as RSET's reply came has closed it all the same: open a new one
            if (idle.isOpen()) return idle;
            idle.close();
            return null;
        } catch (SmtpClientException e) {
            idle.close();
            return null;
        }
    }

    /** The detail reaches the message trace and notices to senders: what the peer sent only as {@link PeerText} shows it. */
    private static Result failed(Target t, SmtpClientException e, Envelope env) {
        log.debug("{}: {}", t.display(), e.getMessage());
        String detail = t.display() + ": " + (e.contentFailed()
                ? Incident.logged(log, "producing the message content for " + t.display(), e.getCause()).text()
                : PeerText.shown(e));
        Reply reply = e.reply();
        return switch (e.stage()) {
            case CONNECT -> new TryNext("451 4.4.1 Connection to " + t.display() + " failed", detail, false);
            case GREETING, EHLO, STARTTLS, RSET, QUIT -> reply != null
                    ? new TryNext(PeerText.kept(reply), detail, reply.isPermanent())
                    : new TryNext("451 4.4.2 Lost connection with " + t.display() + " before the mail transaction", detail, false);
            case MAIL, RCPT -> new TryNext("451 4.4.2 Lost connection with " + t.display() + " during the mail transaction", detail, false);
            // after the content may have been taken: no other host, or the message could arrive twice
            case DATA -> all(env, new Outcome.Deferred(reply != null
                    ? "451 4.5.0 Protocol error from " + t.display() + " during DATA (it said " + PeerText.shown(reply) + ")"
                    : "451 4.4.2 Lost connection with " + t.display() + " during DATA", detail));
        };
    }

    /** {@code dsn}: the host announced DSN, so our Commands passed NOTIFY/ORCPT/RET/ENVID on and it owns the notices now. */
    private static List<Outcome> outcomes(TransactionResult r, Target t, TlsInfo tls, boolean dsn, int recipients) {
        List<Outcome> out = new ArrayList<>();
        String via = tls == null ? "" : " over " + tls.protocol();
        String tlsText = tls == null ? null : tls.protocol() + "/" + tls.cipherSuite();
        for (int i = 0; i < recipients; i++) {
            Reply reply;
            String stage;
            if (!r.mail().isPositive()) { reply = r.mail(); stage = "MAIL FROM"; }
            else if (!r.rcpt().get(i).isPositive()) { reply = r.rcpt().get(i); stage = "RCPT TO"; }
            else { reply = r.data(); stage = "DATA"; }
            String said = t.display() + " said: " + reply + " (in reply to " + stage + ")";
            if (reply == null) out.add(new Outcome.Deferred("451 4.4.2 No reply from " + t.display(), t.display() + " gave no reply to DATA"));
            else if (reply.code() / 100 == 2) out.add(new Outcome.Delivered(format(reply), "delivered to " + t.display() + via, t.display(), tlsText, dsn));
            else if (!reply.isPermanent()) out.add(new Outcome.Deferred(format(reply), said)); // 4xx, or a stray 3xx
            else out.add(new Outcome.Bounced(format(reply), said, t.display()));
        }
        return out;
    }

    private static Result all(Envelope env, Outcome o) {
        return new Done(Collections.nCopies(env.rcpts().size(), o));
    }

    /** "250 2.0.0 text"; a reply without an enhanced code gets the generic one of its class (RFC 3463). */
    static String format(Reply r) {
        String enhanced = r.enhanced() != null ? r.enhanced() : (r.code() / 100) + ".0.0";
        return r.code() + " " + enhanced + " " + r.text();
    }
}

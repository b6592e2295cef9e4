package sluice.core.deliver.remote;

import sluice.core.deliver.Outcome;
import sluice.core.dns.Dns;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;
import sluice.core.trace.Incident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link RemoteDelivery} with our SMTP client: MX or smart hosts in order, TLS per policy,
 * per-recipient outcomes, idle connections reused with RSET, a bounded number of connections per
 * destination. Given an {@link Admission}, each transaction enters it only once it holds its connection
 * permit, and reads the message's body only then. Safe for concurrent use from many (virtual) threads;
 * {@link #close} drops idle connections.
 *
 * <pre>{@code
 * var delivery = new SmtpRemoteDelivery(dns, RemoteDeliveryOptions.defaults("mx.sluice.example"));
 * }</pre>
 */
public final class SmtpRemoteDelivery implements RemoteDelivery, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpRemoteDelivery.class);

    private final Targets targets;
    private final ConnectionPool pool;
    private final Attempt attempt;

    public SmtpRemoteDelivery(Dns dns, RemoteDeliveryOptions options) {
        this.targets = new Targets(dns, options);
        this.pool = new ConnectionPool(options.maxConnectionsPerDestination(), options.connectionWait(), options.idleTimeout(),
                options.maxMessagesPerConnection());
        this.attempt = new Attempt(pool, new SecureConnector(options.heloName(), options.timeouts(), options.trust(), options.clientKeys()));
    }

    @Override
    public List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage message, List<QueuedRecipient> recipients) {
        return atOnce(recipients, () -> deliver(route, () -> message, recipients, Admission.AT_ONCE));
    }

    @Override
    public List<Outcome> deliver(Route.ToMx route, QueuedMessage message, List<QueuedRecipient> recipients) {
        return atOnce(recipients, () -> deliver(route, () -> message, recipients, Admission.AT_ONCE));
    }

    @Override
    public List<Outcome> deliver(Route.ToSmartHost route, Supplier<QueuedMessage> message, List<QueuedRecipient> recipients,
                                 Admission admission) throws InterruptedException {
        String requiredBy = route.connector() == null ? "the route to " + route.hosts().getFirst() : "connector " + route.connector();
        return guarded(recipients, () -> toResolved(targets.forSmartHosts(route.hosts(), route.connector(), route.localAllowed()),
                route.tls(), requiredBy, () -> Envelope.of(message.get(), recipients, route.leavesOrganization()), recipients.size(),
                admission));
    }

    @Override
    public List<Outcome> deliver(Route.ToMx route, Supplier<QueuedMessage> message, List<QueuedRecipient> recipients,
                                 Admission admission) throws InterruptedException {
        String requiredBy = route.connector() == null ? "the route to " + route.domain() : "connector " + route.connector();
        return guarded(recipients, () -> toResolved(targets.forMx(route.domain()), route.tls(), requiredBy,
                () -> Envelope.of(message.get(), recipients, route.leavesOrganization()), recipients.size(), admission));
    }

    private List<Outcome> toResolved(Targets.Resolution resolved, TlsPolicy tls, String requiredBy, Supplier<Envelope> env,
                                     int recipients, Admission admission) throws InterruptedException {
        return switch (resolved) {
            case Targets.Fail f -> Collections.nCopies(recipients, f.outcome());
            case Targets.Hosts h -> tryInOrder(h.targets(), tls, requiredBy, env, recipients, admission);
        };
    }

    private List<Outcome> tryInOrder(List<Target> hosts, TlsPolicy tls, String requiredBy, Supplier<Envelope> env,
                                     int recipients, Admission admission) throws InterruptedException {
        List<String> details = new ArrayList<>();
        List<Attempt.TryNext> tried = new ArrayList<>();
        boolean allPermanent = true;
        for (Target t : hosts) {
            switch (attempt.run(t, tls, requiredBy, env, admission)) {
                case Attempt.Done d -> {
                    return d.outcomes();
                }
                case Attempt.TryNext next -> {
                    tried.add(next);
                    allPermanent &= next.permanent();
                    details.add(next.detail());
                }
            }
        }
        String detail = String.join("; ", details);
        if (allPermanent) return Collections.nCopies(recipients, new Outcome.Bounced(tried.getLast().reply(), detail));
        Attempt.TryNext last = deferralReply(tried);
        return Collections.nCopies(recipients, new Outcome.Deferred(last.reply(), detail, last.notAttempted()));
    }

    /**
     * What a deferral over several hosts says: what a host said wins over our own words for a host not tried (so the
     * deferral counts as an attempt only when a host was tried), and a temporary reply over a permanent one, which
     * would make the recipient's last reply a 5xx while it is still being tried (RFC 3464: a delayed recipient has
     * a 4.x.x status). The last of the kind chosen.
     */
    private static Attempt.TryNext deferralReply(List<Attempt.TryNext> tried) {
        Attempt.TryNext temporary = null;
        Attempt.TryNext permanent = null;
        for (Attempt.TryNext t : tried) {
            if (t.notAttempted()) continue;
            if (t.permanent()) permanent = t;
            else temporary = t;
        }
        return temporary != null ? temporary : permanent != null ? permanent : tried.getLast();
    }

    private interface Delivery {
        List<Outcome> run() throws InterruptedException;
    }

    /** The contract says we never throw: a bug here must defer mail, not lose it or stop the queue. */
    private static List<Outcome> guarded(List<QueuedRecipient> recipients, Delivery d) throws InterruptedException {
        if (recipients.isEmpty()) return List.of();
        try {
            return List.copyOf(d.run());
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) throw (Error) e;
            // the outcome reaches the trace and notices to senders: the exception's text only the log
            Incident incident = Incident.logged(log, "remote delivery of " + recipients.getFirst().messageId(), e);
            return Collections.nCopies(recipients.size(), new Outcome.Deferred("451 4.3.0 Internal error during delivery; will retry",
                    incident.text()));
        }
    }

    /** Without an admission nothing refuses a transaction; should the thread be interrupted all the same, it defers. */
    private static List<Outcome> atOnce(List<QueuedRecipient> recipients, Delivery d) {
        try {
            return d.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Collections.nCopies(recipients.size(), Outcome.Deferred.shuttingDown("interrupted before the transaction"));
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Connections open (busy or idle) to one address under one policy; for tests and metrics. */
    int openConnections(String host, java.net.InetSocketAddress address, TlsPolicy tls) {
        return pool.open(new Destination(host, address, tls));
    }

    /** Deliveries waiting for a connection slot to that destination; for tests. */
    int waitingFor(String host, java.net.InetSocketAddress address, TlsPolicy tls) {
        return pool.waiting(new Destination(host, address, tls));
    }
}

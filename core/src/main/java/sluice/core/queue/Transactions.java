package sluice.core.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The transactions of one route group: each admitted through the attempt's {@link DeliveryAttempt.Gate}, then handed
 * to the hosted mailboxes or a peer, with an outcome for each of its recipients even when it could not be made.
 */
final class Transactions {

    /** The attempt's logger: what operators already watch for these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAttempt.class);

    /**
     * RFC 5321 section 4.5.3.1.8: a server need take no more than 100 recipients per transaction, and
     * one that stops there defers the rest; we accept up to 500. So each transaction to a peer carries
     * at most 100, all in this attempt, one after the other (each admitted on its own). A hosted
     * mailbox gets the message once for all its recipients; a refusal needs no transaction.
     */
    static final int RECIPIENTS_PER_TRANSACTION = 100;

    private final MailboxDelivery mailboxes;
    private final RemoteDelivery remote;

    Transactions(MailboxDelivery mailboxes, RemoteDelivery remote) {
        this.mailboxes = mailboxes;
        this.remote = remote;
    }

    /** {@code recipients}, all taking {@code route}, cut into transactions of {@link #RECIPIENTS_PER_TRANSACTION}. */
    static List<List<QueuedRecipient>> split(Route route, List<QueuedRecipient> recipients) {
        boolean toPeer = route instanceof Route.ToSmartHost || route instanceof Route.ToMx;
        if (!toPeer || recipients.size() <= RECIPIENTS_PER_TRANSACTION) return List.of(recipients);
        List<List<QueuedRecipient>> out = new ArrayList<>();
        for (int from = 0; from < recipients.size(); from += RECIPIENTS_PER_TRANSACTION) {
            out.add(List.copyOf(recipients.subList(from, Math.min(from + RECIPIENTS_PER_TRANSACTION, recipients.size()))));
        }
        return out;
    }

    /**
     * Runs one transaction; its outcomes are in the order of {@code recipients}. An unexpected failure (a bug, the
     * body unreadable when read again after waiting) defers this transaction's recipients only: an unknown failure
     * is temporary, and the transactions before it delivered what they delivered, which must be recorded, or those
     * recipients get another copy.
     *
     * @throws InterruptedException when the attempt is to stop (interrupted, or the node closing) before it is admitted
     */
    List<Outcome> deliverOrDefer(QueuedMessage message, Route route, Supplier<QueuedMessage> full,
                                 List<QueuedRecipient> recipients, DeliveryAttempt.Gate gate) throws InterruptedException {
        try {
            return deliver(route, full, recipients, gate);
        } catch (RuntimeException e) {
            LOG.error("queue: delivering {} to {} recipient(s) failed unexpectedly; they are tried again later",
                    message.id(), recipients.size(), e);
            return Collections.nCopies(recipients.size(), new Outcome.Deferred(
                    "451 4.3.0 Temporary local problem", "delivery failed unexpectedly: " + e));
        }
    }

    /**
     * {@code full} is called only once admitted to a node slot: the body is read once the transaction may run. A
     * destination whose slots stay taken defers these recipients (as a server's connections do, 4.4.5), so the
     * message's other groups go on.
     */
    private List<Outcome> deliver(Route route, Supplier<QueuedMessage> full, List<QueuedRecipient> recipients,
                                  DeliveryAttempt.Gate gate) throws InterruptedException {
        try {
            return admitted(route, full, recipients, gate);
        } catch (DeliverySlots.Busy busy) {
            return Collections.nCopies(recipients.size(), new Outcome.Deferred(
                    "451 4.4.5 Too many deliveries to " + DeliverySlots.destination(route) + " already; will retry",
                    busy.getMessage(), true));
        }
    }

    private List<Outcome> admitted(Route route, Supplier<QueuedMessage> full, List<QueuedRecipient> recipients,
                                   DeliveryAttempt.Gate gate) throws InterruptedException, DeliverySlots.Busy {
        return switch (route) {
            case Route.ToMailbox box -> {
                Outcome o = gate.deliver(route, a -> a.admit(() -> List.of(mailboxes.deliver(box.mailbox(), full.get()))))
                        .getFirst();
                yield recipients.stream().map(r -> o).toList();
            }
            case Route.ToSmartHost hosts -> gate.deliver(route, a -> remote.deliver(hosts, full, recipients, a));
            case Route.ToMx mx -> gate.deliver(route, a -> remote.deliver(mx, full, recipients, a));
            case Route.Refuse refuse -> recipients.stream()
                    .<Outcome>map(r -> new Outcome.Bounced(refuse.reply().toString(), refuse.reason())).toList();
        };
    }
}

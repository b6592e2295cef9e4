package sluice.core.queue;

import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Postmaster;
import sluice.core.route.Route;
import sluice.core.route.Router;
import sluice.core.route.RoutingContext;
import sluice.core.trace.TraceEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The due recipients of one attempt, routed afresh and grouped by route. Postmaster mail goes to the node's
 * stand-in (smtp.postmaster), is stored again under the address it came with, or is held while there is none.
 */
final class RouteGroups {

    private final Map<Route, List<QueuedRecipient>> byRoute = new LinkedHashMap<>();
    private final List<QueuedRecipient> held = new ArrayList<>();
    private final Map<Integer, Address> originals = new HashMap<>(); // the spool keeps the address as received

    private RouteGroups() {
    }

    /**
     * Groups the recipients of {@code message} due at {@code start} by the route each takes now; a postmaster
     * rewritten to its stand-in is traced in {@code events} as an EXPAND.
     */
    static RouteGroups of(Router router, QueuedMessage message, List<QueuedRecipient> recipients, Instant start,
                          Facts facts, List<TraceEvent> events) {
        RouteGroups groups = new RouteGroups();
        RoutingContext context = RoutingContext.of(message);
        for (QueuedRecipient r : recipients) {
            if (r.state() != QueuedRecipient.State.QUEUED || r.nextAttemptAt().isAfter(start)) continue;
            Optional<Postmaster.StandIn> standIn = router.postmasterStandIn(r.address(), context);
            if (standIn.isPresent() && standIn.get().held()) {
                groups.held.add(r);
                continue;
            }
            QueuedRecipient target = standIn.map(s -> r.withAddress(s.to())).orElse(r);
            standIn.ifPresent(s -> groups.originals.put(r.index(), r.address()));
            // from the envelope: on a busy retry nothing else reads the body
            standIn.ifPresent(s -> events.add(facts.fromEnvelope(start, TraceEvent.Type.EXPAND, message.organizationId(),
                    s.to().toString(), null, s.original() + " rewritten to " + s.to()
                            + " (smtp.postmaster; RFC 5321 section 4.5.1)")));
            groups.byRoute.computeIfAbsent(router.route(target.address(), context), k -> new ArrayList<>()).add(target);
        }
        return groups;
    }

    /** Postmaster mail waiting for smtp.postmaster to be set ({@link DeliveryAttempt#NO_POSTMASTER}). */
    List<QueuedRecipient> held() {
        return held;
    }

    /**
     * The groups, hosted mailboxes and refusals first: they wait for no peer, so a message that also goes to a busy
     * destination does not keep its local recipients waiting for it.
     */
    List<Map.Entry<Route, List<QueuedRecipient>>> localFirst() {
        List<Map.Entry<Route, List<QueuedRecipient>>> out = new ArrayList<>(byRoute.entrySet());
        out.sort(Comparator.comparing(e -> DeliverySlots.destination(e.getKey()) != null)); // stable
        return out;
    }

    /** {@code updated} as the spool keeps it: under the address it was received with, if it was rewritten. */
    QueuedRecipient asReceived(QueuedRecipient updated) {
        return originals.containsKey(updated.index()) ? updated.withAddress(originals.get(updated.index())) : updated;
    }
}

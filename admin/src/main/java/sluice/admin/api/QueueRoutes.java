package sluice.admin.api;

import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.mail.QueueId;
import sluice.core.org.Directory;
import sluice.core.queue.QueueAdmin;
import sluice.core.mail.QueuedRecipient;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/v1/queue}: queued messages, retry now, suspend and resume, and removal with or without
 * an NDR (Exchange's Retry-Queue, Suspend-Message, Resume-Message and Remove-Message -WithNDR). Messages attributed to no organization (relay) are visible
 * to global administrators only.
 */
public final class QueueRoutes {

    static final String BASE = "/api/v1/queue";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final QueueAdmin queue;
    private final Directory directory;

    public QueueRoutes(QueueAdmin queue, Directory directory) {
        this.queue = queue;
        this.directory = directory;
    }

    public void register(Router router) {
        router.add("GET", BASE, this::list)
                .add("GET", BASE + "/{id}", this::get)
                .add("POST", BASE + "/{id}/retry", this::retry)
                .add("POST", BASE + "/{id}/suspend", r -> change(r, "suspend"))
                .add("POST", BASE + "/{id}/resume", r -> change(r, "resume"))
                .add("DELETE", BASE + "/{id}", this::remove);
    }

    record Recipient(String address, String state, int attempts, Instant nextAttemptAt, String lastReply) {
        static Recipient of(QueuedRecipient r) {
            return new Recipient(r.address().toString(), EopNames.of(r.state()), r.attempts(),
                    r.isFinal() ? null : r.nextAttemptAt(), r.lastReply());
        }
    }

    record Entry(String id, String networkMessageId, String organizationId, String sender, Instant receivedAt, long size,
                 List<Recipient> recipients) {
        static Entry of(QueueAdmin.Entry e) {
            return new Entry(e.id().toString(), e.networkMessageId(), e.organizationId(), e.sender(), e.receivedAt(),
                    e.size(), e.recipients().stream().map(Recipient::of).toList());
        }
    }

    private Response list(Request request) {
        request.allowQuery("organizationId", "limit");
        var caller = request.caller();
        int limit = request.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<String> scope = request.query("organizationId")
                .map(id -> List.of(Access.organization(directory, caller, id).id()))
                .orElseGet(caller::scope);
        return Response.ok(new Items<>(queue.list(scope, limit).stream()
                .filter(e -> caller.canSee(e.organizationId()))
                .limit(limit).map(Entry::of).toList()));
    }

    private Response get(Request request) {
        request.allowQuery();
        return Response.ok(Entry.of(visible(request)));
    }

    private Response retry(Request request) {
        request.allowQuery();
        QueueAdmin.Entry entry = visible(request);
        Access.requireChangeable(request.caller(), entry.organizationId(), notFound(entry.id()));
        if (!queue.retryNow(entry.id())) throw ProblemException.notFound(notFound(entry.id()));
        return Response.noContent();
    }

    private Response change(Request request, String verb) {
        request.allowQuery();
        QueueAdmin.Entry entry = visible(request);
        Access.requireChangeable(request.caller(), entry.organizationId(), notFound(entry.id()));
        QueueAdmin.Change result = verb.equals("suspend") ? queue.suspend(entry.id()) : queue.resume(entry.id());
        return switch (result) {
            case DONE -> Response.noContent();
            case NOT_QUEUED -> throw ProblemException.notFound(notFound(entry.id()));
            case NOTHING_TO_CHANGE -> throw ProblemException.conflict(verb.equals("suspend")
                    ? "No recipient of message " + entry.id() + " is waiting for delivery; there is nothing to suspend."
                    : "No recipient of message " + entry.id() + " is suspended; there is nothing to resume.");
            case BUSY -> throw busy(entry.id());
        };
    }

    private static ProblemException busy(QueueId id) {
        // an attempt that only waits for a slot gives way to the change; one in the middle of a delivery finishes first
        return new ProblemException(409, "Message " + id + " is being delivered right now; try again in a moment.",
                List.of(), java.util.Map.of("Retry-After", "1"));
    }

    private Response remove(Request request) {
        request.allowQuery("ndr");
        boolean ndr = request.queryBoolean("ndr", false);
        QueueAdmin.Entry entry = visible(request);
        Access.requireChangeable(request.caller(), entry.organizationId(), notFound(entry.id()));
        return switch (queue.remove(entry.id(), ndr)) {
            case DONE, NOTHING_TO_CHANGE -> Response.noContent(); // a queued message can always be removed
            case NOT_QUEUED -> throw ProblemException.notFound(notFound(entry.id()));
            case BUSY -> throw busy(entry.id());
        };
    }

    /** The entry, if queued and in the caller's scope; 404 otherwise (a message may leave the queue at any time). */
    private QueueAdmin.Entry visible(Request request) {
        String raw = request.param("id");
        QueueId id;
        try {
            id = new QueueId(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'" + raw + "' is not a queue id (20 upper-case hex digits).");
        }
        return queue.get(id).filter(e -> request.caller().canSee(e.organizationId()))
                .orElseThrow(() -> ProblemException.notFound(notFound(id)));
    }

    private static String notFound(QueueId id) {
        return "Message " + id + " is not in the queue.";
    }
}

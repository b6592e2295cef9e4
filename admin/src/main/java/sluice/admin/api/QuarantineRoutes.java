package sluice.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import sluice.admin.auth.Caller;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.account.Users;
import sluice.core.mail.Address;
import sluice.core.org.Directory;
import sluice.core.quarantine.Preview;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantineReason;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code /api/v1/quarantine}: search, metadata, a safe preview (headers and text; HTML rendered as
 * text), release to all or some recipients (skipping those released to before, unless asked to
 * release again; never once expired), delete. Every role that can see an organization's
 * quarantine may release from it (helpdesk included, as in EOP), except messages held as malware or
 * phish; releasing those, and deleting, takes a role that may change. Entries of no organization are
 * visible to global administrators only.
 *
 * <p>A search answers a page: {@code nextCursor} and a {@code next} link while more entries follow.
 * The cursor only positions (just after the previous page's last entry); the scope and filters come
 * from the request each time.
 */
public final class QuarantineRoutes {

    static final String BASE = "/api/v1/quarantine";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int PREVIEW_CHARS = 20_000;
    private static final int MAX_RELEASE_RECIPIENTS = 1000;
    /** The first part of this search's cursors, so another search's cursor is refused. */
    private static final String CURSOR = "quarantine";

    private final Quarantine quarantine;
    private final Directory directory;
    private final Users users;

    /** @param users to tell whether the caller may see who released a message ({@link UserScope#actorNames}) */
    public QuarantineRoutes(Quarantine quarantine, Directory directory, Users users) {
        this.quarantine = quarantine;
        this.directory = directory;
        this.users = users;
    }

    public void register(Router router) {
        router.add("GET", BASE, this::search)
                .add("GET", BASE + "/{id}", this::get)
                .add("GET", BASE + "/{id}/preview", this::preview)
                .add("POST", BASE + "/{id}/release", this::release)
                .add("DELETE", BASE + "/{id}", this::delete);
    }

    record Entry(String id, String organizationId, String networkMessageId, Instant receivedAt, Instant expiresAt,
                 String sender, List<String> recipients, String reason, String details, String subject, String messageId,
                 long size, List<String> releasedTo, String releasedBy, Instant releasedAt) {
        static Entry of(QuarantineEntry e, UnaryOperator<String> actorNames) {
            return new Entry(e.id(), e.organizationId(), e.networkId().toString(), e.receivedAt(), e.expiresAt(), e.sender(),
                    e.recipients().stream().map(Address::toString).toList(), EopNames.of(e.reason()), e.details(), e.subject(),
                    e.messageId(), e.size(), e.releasedTo().stream().map(Address::toString).toList(), actorNames.apply(e.releasedBy()), e.releasedAt());
        }
    }

    /** @param nextCursor and {@code next}: absent on the last page */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Page(List<Entry> items, String nextCursor, String next) {
    }

    record PreviewView(String id, List<Preview.Header> headers, String text, boolean fromHtml, boolean truncated) {
    }

    /** @param again release also to recipients it was released to before (by default they are skipped) */
    record ReleaseOptions(List<String> recipients, Boolean again) {
    }

    /** @param queueId null when nothing was queued: every recipient asked for was released to before */
    record Released(String id, String queueId, List<String> recipients, List<String> alreadyReleased) {
    }

    private Response search(Request request) {
        request.allowQuery("organizationId", "sender", "recipient", "reason", "from", "to", "limit", "cursor");
        Caller caller = request.caller();
        Instant from = request.queryInstant("from").orElse(null), to = request.queryInstant("to").orElse(null);
        if (from != null && to != null && from.isAfter(to)) throw ProblemException.badRequest("'from' must not be after 'to'.");
        QuarantineReason reason = request.query("reason").map(QuarantineRoutes::reason).orElse(null);
        int limit = request.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<String> scope = request.query("organizationId")
                .map(id -> List.of(Access.organization(directory, caller, id).id()))
                .orElseGet(caller::scope);
        var query = new Quarantine.Query(scope, request.query("sender").orElse(null), request.query("recipient").orElse(null),
                reason, from, to, limit, request.query("cursor").map(QuarantineRoutes::position).orElse(null));
        Quarantine.Page page = quarantine.page(query);
        // filtered by scope again: a store bug must not leak another tenant's mail
        UnaryOperator<String> actorNames = UserScope.actorNames(users, caller);
        List<Entry> items = page.items().stream().filter(e -> caller.canSee(e.organizationId())).limit(limit)
                .map(e -> Entry.of(e, actorNames)).toList();
        if (page.next() == null) return Response.ok(new Page(items, null, null));
        if (!visible(caller, page.next(), items))
            throw new IllegalStateException("the quarantine store ended a page on an entry outside the caller's scope");
        String cursor = PageCursor.encode(CURSOR, List.of(Long.toString(page.next().received().toEpochMilli()), page.next().id()));
        Map<String, Object> next = new LinkedHashMap<>();
        for (String name : List.of("organizationId", "sender", "recipient", "reason")) next.put(name, request.query(name).orElse(null));
        next.put("from", from);
        next.put("to", to);
        next.put("limit", limit);
        next.put("cursor", cursor);
        return Response.ok(new Page(items, cursor, PageCursor.link(BASE, next)));
    }

    /**
     * May {@code caller} be given a cursor of {@code next}, which names an entry (its time and id) like
     * the items do? It is the last item's position, or that of an entry the caller can see. A damaged
     * entry the store skipped (its position still ends the page, so the walk goes on past it) can be
     * read by no one, so its organization is unknown here: it passes, the store's own scope having chosen it.
     */
    private boolean visible(Caller caller, Quarantine.Position next, List<Entry> items) {
        if (!items.isEmpty() && items.getLast().id().equals(next.id())) return true;
        return quarantine.get(next.id()).map(e -> caller.canSee(e.organizationId())).orElse(true);
    }

    private static Quarantine.Position position(String cursor) {
        List<String> key = PageCursor.decode(CURSOR, cursor, 2);
        long millis = PageCursor.millis(key.get(0));
        if (!key.get(1).matches("[0-9A-F]{20}")) throw PageCursor.invalid();
        return new Quarantine.Position(Instant.ofEpochMilli(millis), key.get(1));
    }

    private Response get(Request request) {
        request.allowQuery();
        return Response.ok(Entry.of(visible(request), UserScope.actorNames(users, request.caller())));
    }

    private Response preview(Request request) {
        request.allowQuery();
        QuarantineEntry e = visible(request);
        byte[] content = quarantine.content(e.id()).orElseThrow(() -> ProblemException.notFound(notFound(e.id())));
        Preview p = Preview.of(content, PREVIEW_CHARS);
        return Response.ok(new PreviewView(e.id(), p.headers(), p.text(), p.fromHtml(), p.truncated()));
    }

    private Response release(Request request) {
        request.allowQuery();
        QuarantineEntry e = visible(request);
        // Malware or a spoofed sender delivered is harm done (a virus, a forged CEO asking for a transfer),
        // not a false positive corrected: that takes a role that may change.
        if ((e.reason() == QuarantineReason.MALWARE || e.reason() == QuarantineReason.PHISH)
                && !request.caller().canChange(e.organizationId()))
            throw ProblemException.forbidden("Releasing a message held as " + (e.reason() == QuarantineReason.MALWARE
                    ? "malware" : "phish (spoofed sender or DMARC failure)") + " takes an organization administrator; "
                    + "your role (" + request.caller().role() + ") may release spam and policy holds.");
        ReleaseOptions options = request.hasBody() ? request.body(ReleaseOptions.class) : new ReleaseOptions(null, null);
        List<Address> recipients = recipients(options);
        try {
            var released = quarantine.release(e.id(), recipients, request.caller().name(),
                            UserScope.shownTo(e.organizationId(), request.caller()), Boolean.TRUE.equals(options.again()))
                    .orElseThrow(() -> ProblemException.notFound(notFound(e.id())));
            return Response.ok(new Released(e.id(), released.queueId() == null ? null : released.queueId().toString(),
                    names(released.recipients()), names(released.alreadyReleased())));
        } catch (Quarantine.UnknownRecipients u) {
            FieldErrors errors = new FieldErrors();
            for (String a : u.addresses()) errors.add("recipients", a + " is not a recipient of this message");
            errors.throwIfAny();
            throw u;
        } catch (Quarantine.Expired x) {
            throw ProblemException.conflict("Message " + e.id() + " expired at " + x.expiresAt() + " and can no longer be "
                    + "released; it will be deleted from the quarantine shortly.");
        }
    }

    private static List<String> names(List<Address> addresses) {
        return addresses.stream().map(Address::toString).toList();
    }

    private static List<Address> recipients(ReleaseOptions options) {
        FieldErrors errors = new FieldErrors();
        List<Address> recipients = ConnectorFields.parsed(errors, "recipients", options.recipients(), Address::parse);
        if (recipients != null)
            errors.check(recipients.size() <= MAX_RELEASE_RECIPIENTS, "recipients", "must have at most " + MAX_RELEASE_RECIPIENTS + " entries");
        errors.throwIfAny();
        return recipients == null ? List.of() : recipients;
    }

    private Response delete(Request request) {
        request.allowQuery();
        QuarantineEntry e = visible(request);
        Access.requireChangeable(request.caller(), e.organizationId(), notFound(e.id()));
        if (!quarantine.delete(e.id())) throw ProblemException.notFound(notFound(e.id()));
        return Response.noContent();
    }

    /** The entry, if held and in the caller's scope; 404 otherwise. */
    private QuarantineEntry visible(Request request) {
        String raw = request.param("id");
        String id = raw.toUpperCase(Locale.ROOT);
        if (!id.matches("[0-9A-F]{20}"))
            throw ProblemException.badRequest("'" + raw + "' is not a quarantine id (20 hex digits).");
        return quarantine.get(id).filter(e -> request.caller().canSee(e.organizationId()))
                .orElseThrow(() -> ProblemException.notFound(notFound(id)));
    }

    private static QuarantineReason reason(String text) {
        try {
            return EopNames.parse(QuarantineReason.class, text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("Query parameter 'reason' " + e.getMessage() + ".");
        }
    }

    private static String notFound(String id) {
        return "Message " + id + " is not in the quarantine.";
    }
}

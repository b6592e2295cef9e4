package sluice.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import sluice.admin.auth.Caller;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.mail.Address;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.Directory;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;
import sluice.core.org.UnreadableRow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * {@code /api/v1/mailboxes}: hosted mailboxes. The password is write-only: it is hashed with
 * {@link Passwords} on the way in and neither it nor the hash is ever returned or logged. Every address
 * (primary and aliases) must be in an accepted domain of the mailbox's own organization.
 *
 * <p>A stored mailbox this version cannot read (its address written before names were read as strictly) receives
 * no mail. It is listed all the same, marked {@code "unreadable": true} with a {@code note} saying why and its
 * {@code address} as stored, so its organization's administrators can find it and delete it (as any mailbox is
 * deleted); it cannot be changed. An alias that cannot be read is listed with its mailbox in {@code unreadableAliases}
 * and deleted on its own ({@code DELETE /{id}/aliases/{address}}); changing the mailbox keeps it. Until they are
 * deleted, the addresses they hold cannot be used again (409 naming them).
 */
public final class MailboxRoutes {

    static final String BASE = "/api/v1/mailboxes";
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 256;
    private static final int MAX_DISPLAY_NAME = 256;

    private final Directory directory;
    private final MailboxStore store;
    private final Passwords passwords;
    // Each Argon2id hash takes ~19 MiB for tens of milliseconds: a burst of creates must not take the heap.
    private final Semaphore hashing = new Semaphore(2);

    public MailboxRoutes(Directory directory, MailboxStore store, Passwords passwords) {
        this.directory = directory;
        this.store = store;
        this.passwords = passwords;
    }

    public void register(Router router) {
        router.resource(BASE, this::list, this::create, this::get, this::update, this::delete);
        router.add("DELETE", BASE + "/{id}/aliases/{address}", this::deleteUnreadableAlias);
    }

    /**
     * @param usageBytes       bytes stored; only on a single mailbox (summing every mailbox of a list is costly), else null
     * @param unreadableAliases the mailbox's stored aliases that could not be read, if any
     * @param unreadable       only for a mailbox that could not be read ({@link UnreadableRow}), with {@code note}
     */
    record View(String id, String organizationId, String address, List<String> aliases, String displayName,
                long quotaBytes, Long usageBytes, boolean passwordSet,
                @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UnreadableAlias> unreadableAliases,
                @JsonInclude(JsonInclude.Include.NON_NULL) Boolean unreadable, @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
        static View of(Mailbox m, Long usage, List<UnreadableRow> unreadableAliases) {
            return new View(m.id(), m.organizationId(), m.address().toString(),
                    m.aliases().stream().map(Address::toString).toList(), m.displayName(), m.quotaBytes(), usage,
                    m.passwordHash() != null, unreadableAliases.stream().map(UnreadableAlias::of).toList(), null, null);
        }

        static View of(UnreadableRow u, Long usage) {
            return new View(u.id(), u.organizationId(), u.storedName(), List.of(), null, 0, usage, false, List.of(), true,
                    couldNotBeRead("mailbox", u) + " and receives no mail. Delete it, and create the mailbox again under its"
                            + " address as it is written today.");
        }
    }

    /** @param address the alias as stored; the path of {@code DELETE /{id}/aliases/{address}} */
    record UnreadableAlias(String address, String note) {
        static UnreadableAlias of(UnreadableRow u) {
            return new UnreadableAlias(u.storedName(), couldNotBeRead("alias", u) + " and receives no mail. Delete it, and add"
                    + " the alias again as it is written today.");
        }
    }

    record Create(String organizationId, String address, List<String> aliases, String displayName, String password,
                  Long quotaBytes) {
    }

    record Patch(String address, List<String> aliases, String displayName, String password, Long quotaBytes) {
    }

    private Response list(Request request) {
        List<UnreadableRow> unreadable = directory.unreadableMailboxes();
        return Access.listPerOrganization(directory, request, org -> Stream.concat(
                directory.mailboxes(org).stream().map(m -> View.of(m, null, directory.unreadableAliases(m.id()))),
                unreadable.stream().filter(u -> u.organizationId().equals(org)).map(u -> View.of(u, null))).toList(), v -> v);
    }

    private Response create(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        Create body = request.body(Create.class);
        FieldErrors errors = new FieldErrors();
        String organizationId = errors.required("organizationId", body.organizationId());
        boolean organizationKnown = organizationId != null && caller.canSee(organizationId)
                && directory.organization(organizationId).isPresent();
        if (organizationId != null && !organizationKnown) errors.add("organizationId", "no such organization");
        Address address = errors.parse("address", errors.required("address", body.address()), Address::parse);
        List<Address> aliases = parseAliases(errors, body.aliases());
        checkOthers(errors, body.displayName(), body.password(), body.quotaBytes());
        if (organizationKnown) checkAddresses(errors, organizationId, address, aliases);
        errors.throwIfAny();
        Access.requireChangeable(caller, organizationId, Access.noOrganization(organizationId));
        Mailbox mailbox = new Mailbox(UUID.randomUUID().toString(), organizationId, address, aliases,
                displayName(body.displayName(), address), hash(body.password()),
                body.quotaBytes() == null ? 0 : body.quotaBytes());
        Mailbox created = directory.createMailbox(mailbox);
        return Response.created(BASE + "/" + created.id(), View.of(created, store.usage(created.id()), List.of()));
    }

    private Response get(Request request) {
        request.allowQuery();
        Optional<UnreadableRow> u = visibleUnreadable(request);
        if (u.isPresent()) return Response.ok(View.of(u.get(), store.usage(u.get().id())));
        Mailbox m = visible(request);
        return Response.ok(View.of(m, store.usage(m.id()), directory.unreadableAliases(m.id())));
    }

    private Response update(Request request) {
        request.allowQuery();
        visibleUnreadable(request).ifPresent(u -> {
            Access.requireChangeable(request.caller(), u.organizationId(), notFound(u.id()));
            throw ProblemException.conflict(couldNotBeRead("mailbox", u) + " and cannot be changed; delete it and create the"
                    + " mailbox again.");
        });
        Mailbox current = visible(request);
        Access.requireChangeable(request.caller(), current.organizationId(), notFound(current.id()));
        Patch body = request.body(Patch.class);
        FieldErrors errors = new FieldErrors();
        Address address = body.address() == null ? current.address() : errors.parse("address", body.address(), Address::parse);
        List<Address> aliases = body.aliases() == null ? current.aliases() : parseAliases(errors, body.aliases());
        checkOthers(errors, body.displayName(), body.password(), body.quotaBytes());
        checkAddresses(errors, current.organizationId(), address, aliases);
        errors.throwIfAny();
        Mailbox changed = new Mailbox(current.id(), current.organizationId(), address, aliases,
                body.displayName() != null ? body.displayName().strip() : current.displayName(),
                body.password() != null ? hash(body.password()) : current.passwordHash(),
                body.quotaBytes() != null ? body.quotaBytes() : current.quotaBytes());
        Mailbox updated = directory.updateMailbox(changed);
        return Response.ok(View.of(updated, store.usage(updated.id()), directory.unreadableAliases(updated.id())));
    }

    /** Deletes a mailbox, also one that could not be read, in the same way: its stored mail is not touched. */
    private Response delete(Request request) {
        request.allowQuery();
        Optional<UnreadableRow> u = visibleUnreadable(request);
        String organizationId = u.isPresent() ? u.get().organizationId() : visible(request).organizationId();
        Access.requireChangeable(request.caller(), organizationId, notFound(request.param("id")));
        directory.deleteMailbox(request.param("id"));
        return Response.noContent();
    }

    /** Deletes one of a readable mailbox's aliases that could not be read, named as listed in unreadableAliases. */
    private Response deleteUnreadableAlias(Request request) {
        request.allowQuery();
        Mailbox m = visible(request);
        Access.requireChangeable(request.caller(), m.organizationId(), notFound(m.id()));
        String address = request.param("address");
        UnreadableRow alias = directory.unreadableAliases(m.id()).stream().filter(a -> a.storedName().equals(address)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("The mailbox " + m.id() + " has no unreadable alias " + address
                        + "; change its other aliases with PATCH."));
        directory.deleteUnreadableAlias(m.id(), alias.id());
        return Response.noContent();
    }

    private Optional<UnreadableRow> visibleUnreadable(Request request) {
        String id = request.param("id");
        return directory.unreadableMailboxes().stream().filter(u -> u.id().equals(id) && request.caller().canSee(u.organizationId()))
                .findFirst();
    }

    private static String couldNotBeRead(String what, UnreadableRow u) {
        return "This " + what + " could not be read when the server started (" + u.reason() + ")";
    }

    private Mailbox visible(Request request) {
        String id = request.param("id");
        return directory.mailbox(id).filter(m -> request.caller().canSee(m.organizationId()))
                .orElseThrow(() -> ProblemException.notFound(notFound(id)));
    }

    private static List<Address> parseAliases(FieldErrors errors, List<String> raw) {
        List<Address> aliases = new ArrayList<>();
        if (raw == null) return aliases;
        for (int i = 0; i < raw.size(); i++) {
            Address a = errors.parse("aliases/" + i, errors.required("aliases/" + i, raw.get(i)), Address::parse);
            if (a != null) aliases.add(a);
        }
        return aliases;
    }

    private static void checkOthers(FieldErrors errors, String displayName, String password, Long quotaBytes) {
        if (displayName != null)
            errors.check(displayName.length() <= MAX_DISPLAY_NAME, "displayName", "must be at most " + MAX_DISPLAY_NAME + " characters");
        // The message says only the rule, never the value: this is a password.
        if (password != null)
            errors.check(password.length() >= MIN_PASSWORD && password.length() <= MAX_PASSWORD, "password",
                    "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        if (quotaBytes != null) errors.check(quotaBytes >= 0, "quotaBytes", "must be 0 (unlimited) or more");
    }

    /** Every address must be accepted by a domain of this organization, and none may repeat. */
    private void checkAddresses(FieldErrors errors, String organizationId, Address address, List<Address> aliases) {
        var seen = new HashSet<String>();
        if (address != null) {
            seen.add(address.key());
            if (!accepted(organizationId, address))
                errors.add("address", "domain " + address.domain() + " is not an accepted domain of the organization");
        }
        for (int i = 0; i < aliases.size(); i++) {
            Address a = aliases.get(i);
            if (!seen.add(a.key())) errors.add("aliases/" + i, "repeats " + a);
            else if (!accepted(organizationId, a))
                errors.add("aliases/" + i, "domain " + a.domain() + " is not an accepted domain of the organization");
        }
    }

    private boolean accepted(String organizationId, Address address) {
        return directory.acceptedDomainFor(address.domain()).filter(d -> d.organizationId().equals(organizationId)).isPresent();
    }

    private static String displayName(String given, Address address) {
        return given == null || given.isBlank() ? address.localPart() : given.strip();
    }

    private String hash(String password) {
        if (password == null) return null;
        hashing.acquireUninterruptibly();
        try {
            return passwords.hash(password);
        } finally {
            hashing.release();
        }
    }

    private static String notFound(String id) {
        return "There is no mailbox with id " + id + ".";
    }
}

package sluice.admin.api;

import sluice.admin.audit.Refusals;
import sluice.admin.auth.RefusalThrottle;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.org.Directory;
import sluice.core.org.Organization;


/**
 * {@code /api/v1/organizations}: tenants. Only a global administrator creates or deletes them; an
 * organization administrator may rename its own. Names are unique across the node, so a rename to a taken
 * name is refused; only a global administrator, who sees every organization, is told that another holds it.
 * Anyone else gets {@link #NAME_UNAVAILABLE}, the same whichever organization holds the name; as 409 against
 * 200 still tells that some organization has it, the refusal is audited and throttled ({@link NameRefusals}):
 * repeated, it is someone probing for other tenants' names.
 */
public final class OrganizationRoutes {

    static final String BASE = "/api/v1/organizations";
    private static final int MAX_NAME = 256;
    static final String NAME_UNAVAILABLE = "That name cannot be used; choose another.";

    private final Directory directory;
    private final NameRefusals refusals;

    /** @param throttle counts names refused as taken ({@link NameRefusals}) */
    public OrganizationRoutes(Directory directory, RefusalThrottle throttle, Refusals refusals) {
        this.directory = directory;
        this.refusals = new NameRefusals(throttle, refusals);
    }

    public void register(Router router) {
        router.resource(BASE, this::list, this::create, this::get, this::update, this::delete);
    }

    record View(String id, String name, boolean rejectDirectSend) {
        static View of(Organization o) {
            return new View(o.id(), o.name(), o.rejectDirectSend());
        }
    }

    record Create(String name, Boolean rejectDirectSend) {
    }

    record Patch(String name, Boolean rejectDirectSend) {
    }

    private Response list(Request request) {
        request.allowQuery();
        return Response.ok(new Items<>(directory.organizations().stream()
                .filter(o -> request.caller().canSee(o.id())).map(View::of).toList()));
    }

    private Response create(Request request) {
        request.allowQuery();
        Access.requireGlobalAdmin(request.caller(), "create organizations");
        Create body = request.body(Create.class);
        FieldErrors errors = new FieldErrors();
        checkName(errors, errors.required("name", body.name()));
        errors.throwIfAny();
        Organization created = directory.createOrganization(body.name().strip(), Boolean.TRUE.equals(body.rejectDirectSend()));
        return Response.created(BASE + "/" + created.id(), View.of(created));
    }

    private Response get(Request request) {
        request.allowQuery();
        return Response.ok(View.of(Access.organization(directory, request.caller(), request.param("id"))));
    }

    private Response update(Request request) {
        request.allowQuery();
        Organization current = Access.organization(directory, request.caller(), request.param("id"));
        Access.requireChangeable(request.caller(), current.id(), Access.noOrganization(current.id()));
        Patch body = request.body(Patch.class);
        FieldErrors errors = new FieldErrors();
        checkName(errors, body.name());
        errors.throwIfAny();
        Organization changed = new Organization(current.id(),
                body.name() != null ? body.name().strip() : current.name(),
                body.rejectDirectSend() != null ? body.rejectDirectSend() : current.rejectDirectSend());
        if (!changed.name().equals(current.name())) refusals.requireNotThrottled(request.caller());
        try {
            return Response.ok(View.of(directory.updateOrganization(changed)));
        } catch (Directory.Conflict e) {
            if (request.caller().isGlobalAdmin()) throw e;
            throw refusals.refuse(request, BASE + "/{id}", current.id(), "name unavailable", NAME_UNAVAILABLE);
        }
    }

    private Response delete(Request request) {
        request.allowQuery();
        Organization current = Access.organization(directory, request.caller(), request.param("id"));
        Access.requireGlobalAdmin(request.caller(), "delete organizations");
        // Refuse rather than cascade: deleting a tenant's domains and mailboxes by accident loses mail.
        if (!directory.acceptedDomains(current.id()).isEmpty() || !directory.mailboxes(current.id()).isEmpty())
            throw ProblemException.conflict("The organization still has accepted domains or mailboxes; delete them first.");
        directory.deleteOrganization(current.id());
        return Response.noContent();
    }

    private static void checkName(FieldErrors errors, String name) {
        if (name == null) return;
        errors.check(!name.isBlank(), "name", "must not be blank");
        errors.check(name.length() <= MAX_NAME, "name", "must be at most " + MAX_NAME + " characters");
    }
}

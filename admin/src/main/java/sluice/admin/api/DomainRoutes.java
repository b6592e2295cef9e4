package sluice.admin.api;

import sluice.admin.auth.Caller;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.core.mail.Domain;

import java.util.stream.Stream;

/**
 * {@code /api/v1/domains}: accepted domains. As in EOP, a domain's name cannot be changed (delete and
 * re-create it), and a domain that mailboxes still use cannot be deleted.
 */
public final class DomainRoutes {

    static final String BASE = "/api/v1/domains";

    private final Directory directory;

    public DomainRoutes(Directory directory) {
        this.directory = directory;
    }

    public void register(Router router) {
        router.resource(BASE, this::list, this::create, this::get, this::update, this::delete);
    }

    record View(String id, String organizationId, String domainName, String domainType, boolean matchSubdomains) {
        static View of(AcceptedDomain d) {
            return new View(d.id(), d.organizationId(), d.domain().name(), EopNames.of(d.type()), d.matchSubdomains());
        }
    }

    record Create(String organizationId, String domainName, String domainType, Boolean matchSubdomains) {
    }

    record Patch(String domainType, Boolean matchSubdomains) {
    }

    private Response list(Request request) {
        return Access.listPerOrganization(directory, request, directory::acceptedDomains, View::of);
    }

    private Response create(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        Create body = request.body(Create.class);
        FieldErrors errors = new FieldErrors();
        String organizationId = errors.required("organizationId", body.organizationId());
        Domain domain = errors.parse("domainName", errors.required("domainName", body.domainName()), Domain::new);
        AcceptedDomain.Type type = body.domainType() == null ? AcceptedDomain.Type.AUTHORITATIVE
                : errors.parse("domainType", body.domainType(), t -> EopNames.parse(AcceptedDomain.Type.class, t));
        boolean matchSubdomains = Boolean.TRUE.equals(body.matchSubdomains());
        checkMatchSubdomains(errors, type, matchSubdomains);
        // An organization out of scope reads exactly like one that does not exist.
        if (organizationId != null && (!caller.canSee(organizationId) || directory.organization(organizationId).isEmpty()))
            errors.add("organizationId", "no such organization");
        errors.throwIfAny();
        Access.requireChangeable(caller, organizationId, Access.noOrganization(organizationId));
        AcceptedDomain created = directory.createAcceptedDomain(organizationId, domain, type, matchSubdomains);
        return Response.created(BASE + "/" + created.id(), View.of(created));
    }

    private Response get(Request request) {
        request.allowQuery();
        return Response.ok(View.of(visible(request)));
    }

    private Response update(Request request) {
        request.allowQuery();
        AcceptedDomain current = visible(request);
        Access.requireChangeable(request.caller(), current.organizationId(), notFound(current.id()));
        Patch body = request.body(Patch.class);
        FieldErrors errors = new FieldErrors();
        AcceptedDomain.Type type = body.domainType() == null ? current.type()
                : errors.parse("domainType", body.domainType(), t -> EopNames.parse(AcceptedDomain.Type.class, t));
        boolean matchSubdomains = body.matchSubdomains() != null ? body.matchSubdomains()
                : current.matchSubdomains() && type == AcceptedDomain.Type.INTERNAL_RELAY;
        checkMatchSubdomains(errors, type, matchSubdomains);
        errors.throwIfAny();
        AcceptedDomain changed = new AcceptedDomain(current.id(), current.organizationId(), current.domain(), type, matchSubdomains);
        return Response.ok(View.of(directory.updateAcceptedDomain(changed)));
    }

    private Response delete(Request request) {
        request.allowQuery();
        AcceptedDomain current = visible(request);
        Access.requireChangeable(request.caller(), current.organizationId(), notFound(current.id()));
        // "Uses" means this domain is the one that accepts the address, which covers the subdomains
        // of an InternalRelay domain with matchSubdomains but not those with an accepted domain of their own.
        boolean inUse = directory.mailboxes(current.organizationId()).stream()
                .flatMap(m -> Stream.concat(Stream.of(m.address()), m.aliases().stream()))
                .anyMatch(a -> directory.acceptedDomainFor(a.domain()).map(AcceptedDomain::id).filter(current.id()::equals).isPresent());
        if (inUse)
            throw ProblemException.conflict("Mailboxes still use " + current.domain() + "; change or delete them first.");
        directory.deleteAcceptedDomain(current.id());
        return Response.noContent();
    }

    private AcceptedDomain visible(Request request) {
        String id = request.param("id");
        return directory.acceptedDomain(id).filter(d -> request.caller().canSee(d.organizationId()))
                .orElseThrow(() -> ProblemException.notFound(notFound(id)));
    }

    private static void checkMatchSubdomains(FieldErrors errors, AcceptedDomain.Type type, boolean matchSubdomains) {
        if (type != null && matchSubdomains && type != AcceptedDomain.Type.INTERNAL_RELAY)
            errors.add("matchSubdomains", "applies only to InternalRelay domains");
    }

    private static String notFound(String id) {
        return "There is no accepted domain with id " + id + ".";
    }
}

package sluice.admin.api;

import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.auth.Caller;
import sluice.admin.http.ProblemException;
import sluice.core.org.Directory;
import sluice.core.org.Organization;

import java.util.List;
import java.util.Optional;

/**
 * The scope checks every route makes. Out of scope is indistinguishable from absent (404), so an
 * organization administrator cannot probe for other tenants' ids; a role that may see but not change
 * gets 403.
 */
final class Access {

    private Access() {
    }

    static void requireVisible(Caller caller, String organizationId, String notFoundDetail) {
        if (!caller.canSee(organizationId)) throw ProblemException.notFound(notFoundDetail);
    }

    static void requireChangeable(Caller caller, String organizationId, String notFoundDetail) {
        requireVisible(caller, organizationId, notFoundDetail);
        if (!caller.canChange(organizationId))
            throw ProblemException.forbidden("Your role (" + caller.role() + ") may not change this.");
    }

    static void requireGlobalAdmin(Caller caller, String what) {
        if (!caller.isGlobalAdmin()) throw ProblemException.forbidden("Only a global administrator may " + what + ".");
    }

    /** The organization, if it exists and the caller may see it; else 404. */
    static Organization organization(Directory directory, Caller caller, String id) {
        return directory.organization(id).filter(o -> caller.canSee(o.id()))
                .orElseThrow(() -> ProblemException.notFound(noOrganization(id)));
    }

    /**
     * The ids of the organizations a list covers: the one asked for (404 when absent or out of scope),
     * else every organization the caller can see.
     */
    static List<String> organizationIds(Directory directory, Caller caller, Optional<String> organizationId) {
        if (organizationId.isPresent()) return List.of(organization(directory, caller, organizationId.get()).id());
        return directory.organizations().stream().map(Organization::id).filter(caller::canSee).toList();
    }

    /**
     * The answer to {@code GET /resource?organizationId=}: every object of the requested organization,
     * or of every organization the caller can see, as views.
     */
    static <T, V> Response listPerOrganization(Directory directory, Request request,
                                               java.util.function.Function<String, List<T>> lookup,
                                               java.util.function.Function<T, V> view) {
        request.allowQuery("organizationId");
        var organizations = organizationIds(directory, request.caller(), request.query("organizationId"));
        return Response.ok(new Items<>(organizations.stream().flatMap(org -> lookup.apply(org).stream()).map(view).toList()));
    }

    static String noOrganization(String id) {
        return "There is no organization with id " + id + ".";
    }
}

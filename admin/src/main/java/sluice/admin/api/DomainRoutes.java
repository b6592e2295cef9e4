package sluice.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import sluice.admin.audit.Cascades;
import sluice.admin.auth.Caller;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.connector.Connectors;
import sluice.core.dns.Dns;
import sluice.core.mail.PublicSuffixList;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.core.org.DkimSigningKeys;
import sluice.core.mail.Domain;
import sluice.core.org.PendingDomains;
import sluice.core.org.PendingDomains.PendingDomain;
import sluice.core.org.UnreadableRow;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code /api/v1/domains}: accepted domains. As in EOP, a domain's name cannot be changed (delete and
 * re-create it), a domain that mailboxes still use cannot be deleted, and the domain's DKIM keys go
 * with it ({@link AcceptedDomainRemoval}).
 *
 * <p>An accepted domain decides where the node's mail for that domain goes, whichever organization
 * sends it, so a domain must be proven before it counts. A global administrator's domain counts at
 * once (the operator vouches for it), and so does a subdomain of one of the organization's own
 * accepted domains. Any other domain an organization administrator adds is pending
 * ({@code status: PendingVerification}) until {@code POST /{id}/verify} finds the TXT record
 * {@code verificationRecord} published at the domain; only then does it become an accepted domain
 * (with a new id). A public suffix ({@code com}, {@code co.uk}) is never an accepted domain.
 *
 * <p>A stored accepted or pending domain this version cannot read (its name written before names were read as
 * strictly) receives no mail and is never verified. It is listed all the same, marked {@code "unreadable": true} with a
 * {@code note} saying why and its {@code domainName} as stored, so its organization's administrators can find it and
 * delete it; it cannot be changed. Until then the name it holds cannot be added again (409 naming it).
 */
public final class DomainRoutes {

    static final String BASE = "/api/v1/domains";
    static final String VERIFIED = "Verified";
    static final String PENDING = "PendingVerification";

    private final Directory directory;
    private final PendingDomains pending;
    private final Dns dns;
    private final InstantSource clock;
    private final AcceptedDomainRemoval removal;
    private final SecureRandom random = new SecureRandom();

    public DomainRoutes(Directory directory, PendingDomains pending, Dns dns, InstantSource clock, Connectors connectors,
                        DkimSigningKeys dkimKeys, Cascades cascades) {
        this.directory = directory;
        this.removal = new AcceptedDomainRemoval(directory, connectors, dkimKeys, cascades);
        this.pending = pending;
        this.dns = dns;
        this.clock = clock;
    }

    public void register(Router router) {
        router.resource(BASE, this::list, this::create, this::get, this::update, this::delete);
        router.add("POST", BASE + "/{id}/verify", this::verify);
    }

    /**
     * @param status             {@code Verified}, or {@code PendingVerification} until the TXT record is found
     * @param verificationRecord for a pending domain, the TXT record to publish at {@code domainName}
     */
    record View(String id, String organizationId, String domainName, String domainType, boolean matchSubdomains,
                String status, String verificationRecord,
                @JsonInclude(JsonInclude.Include.NON_NULL) Boolean unreadable, @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
        static View of(AcceptedDomain d) {
            return new View(d.id(), d.organizationId(), d.domain().name(), EopNames.of(d.type()), d.matchSubdomains(),
                    VERIFIED, null, null, null);
        }

        static View of(PendingDomain d) {
            return new View(d.id(), d.organizationId(), d.domain().name(), EopNames.of(d.type()), d.matchSubdomains(),
                    PENDING, d.txtRecord(), null, null);
        }

        static View of(Unreadable u) {
            return new View(u.row().id(), u.row().organizationId(), u.row().storedName(), null, false,
                    u.accepted() ? VERIFIED : PENDING, null, true, u.couldNotBeRead() + (u.accepted() ? " and receives no mail." :
                    " and is never verified.") + " Delete it, and add the domain again under its name as it is written today.");
        }
    }

    /** A stored accepted ({@code accepted}) or pending domain that could not be read. */
    private record Unreadable(UnreadableRow row, boolean accepted) {
        String couldNotBeRead() {
            return "This " + (accepted ? "accepted" : "pending") + " domain could not be read when the server started ("
                    + row.reason() + ")";
        }
    }

    record Create(String organizationId, String domainName, String domainType, Boolean matchSubdomains) {
    }

    record Patch(String domainType, Boolean matchSubdomains) {
    }

    private Response list(Request request) {
        List<Unreadable> unreadable = unreadable().toList();
        return Access.listPerOrganization(directory, request, org -> Stream.of(
                directory.acceptedDomains(org).stream().map(View::of), pending.pending(org).stream().map(View::of),
                unreadable.stream().filter(u -> u.row().organizationId().equals(org)).map(View::of)).flatMap(v -> v).toList(), v -> v);
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
        if (domain != null && isPublicSuffix(domain))
            errors.add("domainName", domain + " is a public suffix (publicsuffix.org), which no organization can own");
        // An organization out of scope reads exactly like one that does not exist.
        if (organizationId != null && (!caller.canSee(organizationId) || directory.organization(organizationId).isEmpty()))
            errors.add("organizationId", "no such organization");
        errors.throwIfAny();
        Access.requireChangeable(caller, organizationId, Access.noOrganization(organizationId));
        if (caller.isGlobalAdmin() || withinOwnDomain(organizationId, domain)) {
            AcceptedDomain created = directory.createAcceptedDomain(organizationId, domain, type, matchSubdomains);
            return Response.created(BASE + "/" + created.id(), View.of(created));
        }
        directory.acceptedDomainFor(domain).filter(d -> d.domain().equals(domain)).ifPresent(d -> {
            throw ProblemException.conflict(domain + " is already an accepted domain"
                    + (d.organizationId().equals(organizationId) ? " of this organization." : " of another organization."));
        });
        // as the directory would refuse it once verified (the name stays taken until the row is deleted)
        directory.unreadableDomains().stream().filter(u -> u.storedName().equals(domain.name())).findFirst().ifPresent(u -> {
            throw ProblemException.conflict(domain + " is held by " + (u.organizationId().equals(organizationId)
                    ? "the accepted domain " + u.id() + " of this organization, which could not be read when the server started; "
                    + "delete it first." : "an accepted domain of another organization that could not be read when the server started."));
        });
        byte[] token = new byte[16];
        random.nextBytes(token);
        PendingDomain created = pending.create(new PendingDomain("-", organizationId, domain, type, matchSubdomains,
                HexFormat.of().formatHex(token), clock.instant()));
        return Response.created(BASE + "/" + created.id(), View.of(created));
    }

    /**
     * Turns a pending domain into an accepted domain once its TXT record is published. The record is
     * looked for at the domain itself, among all its TXT records (SPF's among them).
     */
    private Response verify(Request request) {
        request.allowQuery();
        refuseUnreadable(request, "verified");
        String id = request.param("id");
        PendingDomain d = pending.pendingDomain(id).filter(p -> request.caller().canSee(p.organizationId()))
                .orElseThrow(() -> ProblemException.notFound(directory.acceptedDomain(id)
                        .filter(a -> request.caller().canSee(a.organizationId())).isPresent()
                        ? "The accepted domain " + id + " is verified already." : notFound(id)));
        Access.requireChangeable(request.caller(), d.organizationId(), notFound(id));
        List<String> records;
        try {
            records = dns.txt(d.domain());
        } catch (Dns.NoSuchDomain e) {
            records = List.of();
        } catch (Dns.DnsFailure e) {
            throw new ProblemException(503, "The DNS lookup of " + d.domain() + " failed; try again later.",
                    List.of(), java.util.Map.of("Retry-After", "60"));
        }
        if (records.stream().map(String::strip).noneMatch(d.txtRecord()::equals))
            throw ProblemException.conflict("No TXT record \"" + d.txtRecord() + "\" was found at " + d.domain()
                    + ". Publish it there (it can be removed once the domain is verified), wait for DNS to pick it up, and verify again.");
        AcceptedDomain created = directory.createAcceptedDomain(d.organizationId(), d.domain(), d.type(), d.matchSubdomains());
        try {
            pending.delete(d.id());
        } catch (Directory.NotFound e) {
            // deleted by a concurrent request meanwhile: the domain is verified all the same
        }
        return Response.ok(View.of(created));
    }

    /** A subdomain of one of the organization's accepted domains: proven by its parent, as in EOP. */
    private boolean withinOwnDomain(String organizationId, Domain domain) {
        return directory.acceptedDomains(organizationId).stream().anyMatch(a -> !a.domain().equals(domain) && domain.isWithin(a.domain()));
    }

    private static boolean isPublicSuffix(Domain domain) {
        return PublicSuffixList.bundled().publicSuffix(domain).equals(domain.name());
    }

    private Response get(Request request) {
        request.allowQuery();
        Optional<PendingDomain> p = visiblePending(request);
        if (p.isPresent()) return Response.ok(View.of(p.get()));
        Optional<Unreadable> u = visibleUnreadable(request);
        return Response.ok(u.isPresent() ? View.of(u.get()) : View.of(visible(request)));
    }

    private Response update(Request request) {
        request.allowQuery();
        if (visiblePending(request).isPresent())
            throw ProblemException.conflict("A domain pending verification cannot be changed; delete it and add it again.");
        refuseUnreadable(request, "changed");
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
        Optional<PendingDomain> p = visiblePending(request);
        if (p.isPresent()) {
            Access.requireChangeable(request.caller(), p.get().organizationId(), notFound(p.get().id()));
            pending.delete(p.get().id());
            return Response.noContent();
        }
        Optional<Unreadable> u = visibleUnreadable(request);
        if (u.isPresent()) {
            String id = u.get().row().id();
            Access.requireChangeable(request.caller(), u.get().row().organizationId(), notFound(id));
            // nothing is routed by an unreadable accepted domain, so nothing else goes with it
            if (u.get().accepted()) directory.deleteAcceptedDomain(id);
            else pending.delete(id);
            return Response.noContent();
        }
        AcceptedDomain current = visible(request);
        Access.requireChangeable(request.caller(), current.organizationId(), notFound(current.id()));
        removal.remove(request, current);
        return Response.noContent();
    }

    private Optional<PendingDomain> visiblePending(Request request) {
        return pending.pendingDomain(request.param("id")).filter(p -> request.caller().canSee(p.organizationId()));
    }

    /** The stored accepted and pending domains that could not be read, as listed. */
    private Stream<Unreadable> unreadable() {
        return Stream.concat(directory.unreadableDomains().stream().map(u -> new Unreadable(u, true)),
                pending.unreadable().stream().map(u -> new Unreadable(u, false)));
    }

    private Optional<Unreadable> visibleUnreadable(Request request) {
        String id = request.param("id");
        return unreadable().filter(u -> u.row().id().equals(id) && request.caller().canSee(u.row().organizationId())).findFirst();
    }

    /** 409 for a domain that could not be read: it may only be deleted. */
    private void refuseUnreadable(Request request, String what) {
        Optional<Unreadable> u = visibleUnreadable(request);
        if (u.isEmpty()) return;
        Access.requireChangeable(request.caller(), u.get().row().organizationId(), notFound(u.get().row().id()));
        throw ProblemException.conflict(u.get().couldNotBeRead() + " and cannot be " + what + "; delete it and add the domain again.");
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

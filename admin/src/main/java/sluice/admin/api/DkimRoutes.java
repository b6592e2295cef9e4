package sluice.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import sluice.admin.auth.Caller;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.filter.dkim.DkimKeys;
import sluice.core.mail.Domain;
import sluice.core.org.Directory;
import sluice.core.org.DkimSigningKey;
import sluice.core.org.DkimSigningKeys;
import sluice.core.org.UnreadableRow;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code /api/v1/dkim}: DKIM signing keys of accepted domains. As in EOP, a new key is created
 * disabled: publish its TXT record first, then enable it; rotating creates a key under a new selector
 * and moves signing to it, keeping the old key (disabled) until it is deleted. Private keys are
 * never shown.
 *
 * <p>A key serves its domain only while the domain is an accepted domain of the key's organization:
 * deleting the domain deletes the keys (see {@link AcceptedDomainRemoval}), and a key left behind by
 * an earlier version can be disabled or deleted, never enabled or rotated (409). The domain may be
 * another organization's by then, and a former owner's key must not sign as it.
 *
 * <p>A stored key this version cannot read (its domain name written before names were read as strictly) never
 * signs. It is listed all the same, marked {@code "unreadable": true} with a {@code note} saying why and its
 * {@code domainName} as stored, so its organization's administrators can find it and delete it; it cannot be
 * changed.
 */
public final class DkimRoutes {

    static final String BASE = "/api/v1/dkim";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Directory directory;
    private final DkimSigningKeys keys;
    private final InstantSource clock;

    public DkimRoutes(Directory directory, DkimSigningKeys keys, InstantSource clock) {
        this.directory = directory;
        this.keys = keys;
        this.clock = clock;
    }

    public void register(Router router) {
        router.add("GET", BASE, this::list)
                .add("POST", BASE, this::create)
                .add("GET", BASE + "/{id}", this::get)
                .add("PATCH", BASE + "/{id}", this::update)
                .add("POST", BASE + "/{id}/rotate", this::rotate)
                .add("DELETE", BASE + "/{id}", this::delete);
    }

    /** {@code unreadable} and {@code note} only for a key that could not be read ({@link UnreadableRow}). */
    record View(String id, String organizationId, String domainName, String selector, String keyType, boolean enabled,
                String createdAt, String dnsName, String dnsRecord,
                @JsonInclude(JsonInclude.Include.NON_NULL) Boolean unreadable, @JsonInclude(JsonInclude.Include.NON_NULL) String note) {
        static View of(DkimSigningKey k) {
            return new View(k.id(), k.organizationId(), k.domain().name(), k.selector(),
                    EopNames.of(DkimKeys.KeyType.valueOf(k.keyType())), k.enabled(), k.createdAt().toString(), k.dnsName(),
                    k.dnsRecord(), null, null);
        }

        static View of(UnreadableRow u) {
            return new View(u.id(), u.organizationId(), u.storedName(), null, null, false, null, null, null, true,
                    "This DKIM key could not be read when the server started (" + u.reason() + ") and never signs. Delete it;"
                            + " to sign for the domain, create a new key.");
        }
    }

    record Create(String organizationId, String domainName, String keyType, String selector) {
    }

    record Patch(Boolean enabled) {
    }

    record Rotate(String keyType) {
    }

    private Response list(Request request) {
        List<UnreadableRow> unreadable = keys.unreadable();
        return Access.listPerOrganization(directory, request, org -> Stream.concat(keys.keys(org).stream().map(View::of),
                unreadable.stream().filter(u -> u.organizationId().equals(org)).map(View::of)).toList(), v -> v);
    }

    private Response create(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        Create body = request.body(Create.class);
        FieldErrors errors = new FieldErrors();
        Domain domain = errors.parse("domainName", errors.required("domainName", body.domainName()), Domain::of);
        DkimKeys.KeyType type = keyType(errors, body.keyType());
        if (body.selector() != null && !body.selector().matches("[a-z0-9][a-z0-9-]{0,62}"))
            errors.add("selector", "a selector is a DNS label of lower-case letters, digits and '-'");
        String org = null;
        if (domain != null) {
            var accepted = directory.acceptedDomainFor(domain).filter(d -> d.domain().equals(domain))
                    .filter(d -> caller.canSee(d.organizationId()))
                    .filter(d -> body.organizationId() == null || d.organizationId().equals(body.organizationId()));
            if (accepted.isEmpty()) errors.add("domainName", "is not an accepted domain of the organization");
            else org = accepted.get().organizationId();
        }
        errors.throwIfAny();
        Access.requireChangeable(caller, org, Access.noOrganization(org));
        DkimSigningKey fresh = generate(org, domain, type, body.selector(), false);
        // under the organization's lock, so that a deletion of the domain lists every key it takes (AcceptedDomainRemoval)
        DkimSigningKey created = OrganizationLock.with(org, () -> keys.create(fresh));
        return Response.created(BASE + "/" + created.id(), View.of(created));
    }

    private DkimSigningKey generate(String org, Domain domain, DkimKeys.KeyType type, String selector, boolean enabled) {
        KeyPair pair = DkimKeys.generate(type);
        String chosen = selector != null ? selector
                : "sluice-" + DAY.format(clock.instant()) + "-" + HexFormat.of().formatHex(RANDOM.generateSeed(2));
        return new DkimSigningKey("", org, domain, chosen, type.name(), DkimKeys.toPem(pair.getPrivate()),
                DkimKeys.dnsRecord(pair.getPublic()), enabled, clock.instant());
    }

    private Response get(Request request) {
        request.allowQuery();
        Optional<UnreadableRow> u = visibleUnreadable(request);
        return Response.ok(u.isPresent() ? View.of(u.get()) : View.of(visible(request)));
    }

    private Response update(Request request) {
        request.allowQuery();
        DkimSigningKey current = changeable(request);
        Patch body = request.body(Patch.class);
        if (body.enabled() == null) return Response.ok(View.of(current));
        if (body.enabled()) requireHeldDomain(current);
        return Response.ok(View.of(keys.update(current.withEnabled(body.enabled()))));
    }

    private Response rotate(Request request) {
        request.allowQuery();
        DkimSigningKey current = changeable(request);
        Rotate body = request.hasBody() ? request.body(Rotate.class) : new Rotate(null);
        FieldErrors errors = new FieldErrors();
        DkimKeys.KeyType type = body.keyType() == null ? DkimKeys.KeyType.valueOf(current.keyType()) : keyType(errors, body.keyType());
        errors.throwIfAny();
        requireHeldDomain(current);
        DkimSigningKey fresh = generate(current.organizationId(), current.domain(), type, null, current.enabled());
        DkimSigningKey next = OrganizationLock.with(current.organizationId(), () -> {
            DkimSigningKey created = keys.create(fresh);
            if (current.enabled()) keys.update(current.withEnabled(false));
            return created;
        });
        return Response.created(BASE + "/" + next.id(), View.of(next));
    }

    /**
     * The key's domain is still an accepted domain of the key's organization. The store refuses the
     * write otherwise too; this says why and what to do.
     */
    private void requireHeldDomain(DkimSigningKey k) {
        boolean held = directory.acceptedDomainFor(k.domain())
                .filter(d -> d.domain().equals(k.domain()) && d.organizationId().equals(k.organizationId())).isPresent();
        if (!held)
            throw ProblemException.conflict(k.domain() + " is no longer an accepted domain of this organization, so its DKIM key "
                    + "cannot be enabled or rotated. Delete the key; to sign for the domain again, add the domain and create a new key.");
    }

    private Response delete(Request request) {
        request.allowQuery();
        Optional<UnreadableRow> u = visibleUnreadable(request);
        if (u.isPresent()) {
            Access.requireChangeable(request.caller(), u.get().organizationId(), notFound(u.get().id()));
            keys.delete(u.get().id());
        } else {
            keys.delete(changeable(request).id());
        }
        return Response.noContent();
    }

    private Optional<UnreadableRow> visibleUnreadable(Request request) {
        String id = request.param("id");
        return keys.unreadable().stream().filter(u -> u.id().equals(id) && request.caller().canSee(u.organizationId())).findFirst();
    }

    private DkimSigningKey visible(Request request) {
        String id = request.param("id");
        return keys.key(id).filter(k -> request.caller().canSee(k.organizationId()))
                .orElseThrow(() -> ProblemException.notFound(notFound(id)));
    }

    /** A key the caller may change; 409 for one that could not be read, which may only be deleted. */
    private DkimSigningKey changeable(Request request) {
        Optional<UnreadableRow> u = visibleUnreadable(request);
        if (u.isPresent()) {
            Access.requireChangeable(request.caller(), u.get().organizationId(), notFound(u.get().id()));
            throw ProblemException.conflict("This DKIM key could not be read when the server started (" + u.get().reason()
                    + ") and cannot be changed; delete it and create a new key.");
        }
        DkimSigningKey k = visible(request);
        Access.requireChangeable(request.caller(), k.organizationId(), notFound(k.id()));
        return k;
    }

    private static String notFound(String id) {
        return "There is no DKIM key with id " + id + ".";
    }

    private static DkimKeys.KeyType keyType(FieldErrors errors, String given) {
        if (given == null) return DkimKeys.KeyType.RSA_2048;
        DkimKeys.KeyType t = errors.parse("keyType", given, v -> EopNames.parse(DkimKeys.KeyType.class, v));
        return t == null ? DkimKeys.KeyType.RSA_2048 : t;
    }
}

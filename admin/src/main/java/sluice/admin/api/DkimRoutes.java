package sluice.admin.api;

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

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

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

    record View(String id, String organizationId, String domainName, String selector, String keyType, boolean enabled,
                String createdAt, String dnsName, String dnsRecord) {
        static View of(DkimSigningKey k) {
            return new View(k.id(), k.organizationId(), k.domain().name(), k.selector(),
                    EopNames.of(DkimKeys.KeyType.valueOf(k.keyType())), k.enabled(), k.createdAt().toString(), k.dnsName(),
                    k.dnsRecord());
        }
    }

    record Create(String organizationId, String domainName, String keyType, String selector) {
    }

    record Patch(Boolean enabled) {
    }

    record Rotate(String keyType) {
    }

    private Response list(Request request) {
        return Access.listPerOrganization(directory, request, keys::keys, View::of);
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
        return Response.ok(View.of(visible(request)));
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
        keys.delete(changeable(request).id());
        return Response.noContent();
    }

    private DkimSigningKey visible(Request request) {
        String id = request.param("id");
        return keys.key(id).filter(k -> request.caller().canSee(k.organizationId()))
                .orElseThrow(() -> ProblemException.notFound("There is no DKIM key with id " + id + "."));
    }

    private DkimSigningKey changeable(Request request) {
        DkimSigningKey k = visible(request);
        Access.requireChangeable(request.caller(), k.organizationId(), "There is no DKIM key with id " + k.id() + ".");
        return k;
    }

    private static DkimKeys.KeyType keyType(FieldErrors errors, String given) {
        if (given == null) return DkimKeys.KeyType.RSA_2048;
        DkimKeys.KeyType t = errors.parse("keyType", given, v -> EopNames.parse(DkimKeys.KeyType.class, v));
        return t == null ? DkimKeys.KeyType.RSA_2048 : t;
    }
}

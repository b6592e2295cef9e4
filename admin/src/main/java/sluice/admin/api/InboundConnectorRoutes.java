package sluice.admin.api;

import sluice.admin.audit.Refusals;
import sluice.admin.auth.Caller;
import sluice.admin.auth.RefusalThrottle;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.connector.CertificateNames;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.Connectors;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.IpRange;
import sluice.core.deliver.remote.NodeAddresses;
import sluice.core.mail.Domain;
import sluice.core.org.Directory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static sluice.admin.api.ConnectorFields.parsed;
import static sluice.admin.api.ConnectorFields.pick;
import static sluice.admin.api.ConnectorFields.strings;
import static sluice.admin.api.ConnectorFields.text;

/**
 * {@code /api/v1/connectors/inbound}: how mail from a partner or from the organization's own servers
 * is recognised (by IP or TLS certificate) and treated. Fields and values are EOP's
 * ({@code New-InboundConnector}); PATCH changes only the fields it names.
 */
public final class InboundConnectorRoutes {

    static final String BASE = "/api/v1/connectors/inbound";
    private static final String KIND = "inbound";

    private final Directory directory;
    private final Connectors connectors;
    private final NodeAddresses thisNode;
    private final ReachRefusals refusals;

    /**
     * @param thisNode  what counts as this node: an organization administrator's connector may not claim it
     * @param throttle  how many changes refused by {@link #checkReach} one account may have
     * @param refusals  where those refusals are recorded
     */
    public InboundConnectorRoutes(Directory directory, Connectors connectors, NodeAddresses thisNode, RefusalThrottle throttle,
                                  Refusals refusals) {
        this.directory = directory;
        this.connectors = connectors;
        this.thisNode = thisNode;
        this.refusals = new ReachRefusals(throttle, refusals);
    }

    public void register(Router router) {
        router.resource(BASE, this::list, this::create, this::get, this::update, this::delete);
    }

    record View(String id, String organizationId, String name, String connectorType, boolean enabled, String comment,
                List<String> senderIpAddresses, String tlsSenderCertificateName, List<String> senderDomains, boolean requireTls,
                boolean restrictDomainsToIpAddresses, boolean restrictDomainsToCertificate, boolean treatMessagesAsInternal,
                List<String> efSkipIps, boolean efSkipLastIp) {
        static View of(InboundConnector c) {
            return new View(c.id(), c.organizationId(), c.name(), EopNames.of(c.type()), c.enabled(), c.comment(),
                    strings(c.senderIpAddresses()), c.tlsSenderCertificateName(), strings(c.senderDomains()), c.requireTls(),
                    c.restrictDomainsToIpAddresses(), c.restrictDomainsToCertificate(), c.treatMessagesAsInternal(),
                    strings(c.efSkipIps()), c.efSkipLastIp());
        }
    }

    /** The body of POST and PATCH; null means "not given" (PATCH keeps the value, POST uses the default). */
    record Fields(String organizationId, String name, String connectorType, Boolean enabled, String comment,
                  List<String> senderIpAddresses, String tlsSenderCertificateName, List<String> senderDomains, Boolean requireTls,
                  Boolean restrictDomainsToIpAddresses, Boolean restrictDomainsToCertificate, Boolean treatMessagesAsInternal,
                  List<String> efSkipIps, Boolean efSkipLastIp) {
    }

    private Response list(Request request) {
        return Access.listPerOrganization(directory, request, connectors::inbound, View::of);
    }

    private Response create(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        String organizationId = ConnectorFields.requireNew(errors, directory, caller, body.organizationId(), body.name(),
                body.connectorType());
        refusals.requireNotThrottled(caller, organizationId);
        InboundConnector draft = merge(errors, body, null, organizationId);
        Access.requireChangeable(caller, organizationId, Access.noOrganization(organizationId));
        checkReach(request, null, draft);
        InboundConnector created = connectors.createInbound(draft);
        return Response.created(BASE + "/" + created.id(), View.of(created));
    }

    private Response get(Request request) {
        request.allowQuery();
        return Response.ok(View.of(visible(request)));
    }

    private Response update(Request request) {
        request.allowQuery();
        InboundConnector current = visible(request);
        Access.requireChangeable(request.caller(), current.organizationId(), ConnectorFields.notFound(KIND, current.id()));
        refusals.requireNotThrottled(request.caller(), current.organizationId());
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        ConnectorFields.refuseMove(errors, body.organizationId(), current.organizationId());
        InboundConnector changed = merge(errors, body, current, current.organizationId());
        checkReach(request, current, changed);
        return Response.ok(View.of(connectors.updateInbound(changed)));
    }

    private Response delete(Request request) {
        request.allowQuery();
        InboundConnector current = visible(request);
        Access.requireChangeable(request.caller(), current.organizationId(), ConnectorFields.notFound(KIND, current.id()));
        connectors.deleteInbound(current.id());
        return Response.noContent();
    }

    /** {@code body} over {@code current} (null for POST); throws the 400 for invalid fields or combinations. */
    private static InboundConnector merge(FieldErrors errors, Fields body, InboundConnector current, String organizationId) {
        ConnectorType type = ConnectorFields.type(errors, body.connectorType(), current == null ? null : current.type());
        List<IpRange> ips = parsed(errors, "senderIpAddresses", body.senderIpAddresses(), IpRange::parse);
        List<DomainPattern> domains = parsed(errors, "senderDomains", body.senderDomains(), DomainPattern::parse);
        List<IpRange> skip = parsed(errors, "efSkipIps", body.efSkipIps(), IpRange::parse);
        if (body.name() != null) errors.check(!body.name().isBlank(), "name", "must not be blank");
        // whoever saves it, global administrators too: a wildcard over a public suffix or an IP address names nobody's servers
        String certificateProblem = CertificateNames.problem(body.tlsSenderCertificateName() == null
                || body.tlsSenderCertificateName().isBlank() ? null : body.tlsSenderCertificateName().strip());
        if (certificateProblem != null) errors.add("tlsSenderCertificateName", certificateProblem);
        errors.throwIfAny();
        return ConnectorFields.build(() -> new InboundConnector(current == null ? "" : current.id(), organizationId,
                pick(body.name(), current, InboundConnector::name, null).strip(), type,
                pick(body.enabled(), current, InboundConnector::enabled, true),
                text(body.comment(), current, InboundConnector::comment),
                pick(ips, current, InboundConnector::senderIpAddresses, List.of()),
                text(body.tlsSenderCertificateName(), current, InboundConnector::tlsSenderCertificateName),
                pick(domains, current, InboundConnector::senderDomains, List.of()),
                pick(body.requireTls(), current, InboundConnector::requireTls, false),
                pick(body.restrictDomainsToIpAddresses(), current, InboundConnector::restrictDomainsToIpAddresses, false),
                pick(body.restrictDomainsToCertificate(), current, InboundConnector::restrictDomainsToCertificate, false),
                pick(body.treatMessagesAsInternal(), current, InboundConnector::treatMessagesAsInternal, false),
                pick(skip, current, InboundConnector::efSkipIps, List.of()),
                pick(body.efSkipLastIp(), current, InboundConnector::efSkipLastIp, false)));
    }

    /**
     * What an organization administrator's connector may claim. Inbound connectors are matched for
     * every connection the node takes, before anyone knows whose mail it is, and an OnPremises one
     * lets its senders relay anywhere; so an organization administrator names at most a /24 (IPv4)
     * or /48 (IPv6) per range, no range another organization's connector covers, and an OnPremises
     * certificate name only within the organization's own accepted domains (EOP asks the same). No
     * range may include the node's own addresses (loopback, link-local, multicast, its interfaces):
     * mail the node sends to itself, from a content filter re-injecting or an MX pointing back, would
     * count as the organization's and could relay. A global administrator, who runs the node, is not
     * limited (the re-injection connector is the operator's).
     *
     * <p>Each refusal tells the caller something about other organizations, so it is recorded in the audit log
     * (which rule refused, not what the others hold) and counted against the organization
     * ({@link ReachRefusals}).
     */
    private void checkReach(Request request, InboundConnector current, InboundConnector c) {
        if (request.caller().isGlobalAdmin()) return;
        FieldErrors errors = new FieldErrors();
        Set<String> refused = new LinkedHashSet<>();
        if (!c.senderIpAddresses().isEmpty()) checkRanges(errors, refused, current, c);
        String cert = c.tlsSenderCertificateName();
        if (c.type() == ConnectorType.ON_PREMISES && cert != null && !withinOwnDomains(c.organizationId(), cert)) {
            errors.add("tlsSenderCertificateName", "must be in one of the organization's accepted domains");
            refused.add(CERTIFICATE_ELSEWHERE);
        }
        if (refused.isEmpty()) return;
        refusals.refuse(request, current == null ? BASE : BASE + "/{id}", c.organizationId(), current == null ? null : current.id(),
                refused, errors);
    }

    /** What refused a change, as the audit log records it: the rule, in the words the caller was given. */
    static final String TOO_MANY_RANGES = "too many new sender ranges";
    static final String RANGE_TOO_WIDE = "sender range wider than allowed";
    static final String RANGE_OF_ANOTHER_ORGANIZATION = "sender range overlaps another organization's connector";
    static final String RANGE_OF_THIS_NODE = "sender range includes addresses of this node";
    static final String CERTIFICATE_ELSEWHERE = "certificate name outside the organization's accepted domains";

    /**
     * Only the ranges this change adds: what is already there (an operator's wider range) does not block other
     * edits, unless the connector becomes OnPremises, which makes every range it has a relay grant. Clashes are
     * reported without saying which range clashed, and at most {@value #MAX_NEW_RANGES} new ranges are taken at a
     * time: otherwise one refused request would tell a tenant, range by range, where other organizations' servers
     * and this node's own addresses are.
     */
    private void checkRanges(FieldErrors errors, Set<String> refused, InboundConnector current, InboundConnector c) {
        boolean onPremises = c.type() == ConnectorType.ON_PREMISES;
        boolean sameType = current != null && current.type() == c.type();
        List<IpRange> ranges = c.senderIpAddresses();
        List<Integer> added = new java.util.ArrayList<>();
        for (int i = 0; i < ranges.size(); i++)
            if (!sameType || !current.senderIpAddresses().contains(ranges.get(i))) added.add(i);
        if (added.size() > MAX_NEW_RANGES) {
            errors.add("senderIpAddresses", "at most " + MAX_NEW_RANGES + " new ranges at a time; ask a global administrator for more");
            refused.add(TOO_MANY_RANGES);
            return;
        }
        // A Partner connector only describes its own organization's incoming mail, so tenants may share a
        // partner's range (two customers of one vendor); an OnPremises one lets its senders relay, so it may not
        // share a range with any other organization's connector.
        List<IpRange> others = !onPremises ? List.of() : connectors.allInbound().stream()
                .filter(o -> !o.organizationId().equals(c.organizationId())).flatMap(o -> o.senderIpAddresses().stream()).toList();
        boolean clash = false;
        boolean node = false;
        for (int i : added) {
            IpRange r = ranges.get(i);
            int widest = r.isV4() ? MAX_V4_PREFIX : MAX_V6_PREFIX;
            if (r.prefixLength() < widest) {
                errors.add("senderIpAddresses/" + i, r + " is wider than /" + widest + "; ask a global administrator for wider ranges");
                refused.add(RANGE_TOO_WIDE);
            } else if (others.stream().anyMatch(r::overlaps))
                clash = true;
            else if (thisNode.overlapping(r).isPresent())
                node = true;
        }
        if (clash) {
            refused.add(RANGE_OF_ANOTHER_ORGANIZATION);
            errors.add("senderIpAddresses", "a range added here overlaps one that another organization's connector uses; "
                    + "an OnPremises connector's servers must be the organization's own");
        }
        if (node) {
            refused.add(RANGE_OF_THIS_NODE);
            errors.add("senderIpAddresses", "a range added here includes addresses of this node (loopback, link-local, "
                    + "multicast or its own), from which it sends to itself; name only the organization's own servers, "
                    + "or ask a global administrator");
        }
    }

    static final int MAX_NEW_RANGES = 16;
    static final int MAX_V4_PREFIX = 24;
    static final int MAX_V6_PREFIX = 48;

    private boolean withinOwnDomains(String organizationId, String certificateName) {
        String name = certificateName.startsWith("*.") ? certificateName.substring(2) : certificateName;
        Domain domain;
        try {
            domain = Domain.of(name);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return directory.acceptedDomains(organizationId).stream().anyMatch(a -> domain.isWithin(a.domain()));
    }

    private InboundConnector visible(Request request) {
        return ConnectorFields.visible(request, connectors::inboundConnector, InboundConnector::organizationId, KIND);
    }
}

package sluice.admin.api;

import sluice.admin.audit.Refusals;
import sluice.admin.auth.Caller;
import sluice.admin.auth.RefusalThrottle;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.connector.CertificateNames;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.Connectors;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundConnector.TlsSettings;
import sluice.core.connector.OutboundConnector.Validation;
import sluice.core.deliver.remote.NodeAddresses;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.org.Directory;
import sluice.core.rule.TransportRules;

import java.util.List;
import java.util.Objects;

import static sluice.admin.api.ConnectorFields.parsed;
import static sluice.admin.api.ConnectorFields.pick;
import static sluice.admin.api.ConnectorFields.strings;
import static sluice.admin.api.ConnectorFields.text;

/**
 * {@code /api/v1/connectors/outbound}: where mail for given destinations goes and what TLS it
 * requires, with EOP's fields ({@code New-OutboundConnector}). {@code tlsSettings} is null for
 * opportunistic TLS (EOP's $null); {@code "None"} sets that back in a PATCH. Giving only one side of
 * an either-or pair (smartHosts/useMxRecord, recipientDomains/allAcceptedDomains) switches the other
 * off, so a PATCH can change the next hop in one step. {@code POST .../{id}/validate} is in
 * {@link ConnectorValidationRoute}.
 */
public final class OutboundConnectorRoutes {

    static final String BASE = "/api/v1/connectors/outbound";
    static final String KIND = "outbound";

    private final Directory directory;
    private final Connectors connectors;
    private final TransportRules rules;
    private final NodeAddresses thisNode;
    private final ReachRefusals refusals;

    /**
     * @param thisNode what counts as this node: the same as for delivery, so the API refuses what delivery would skip
     * @param throttle how many changes refused for naming the node itself an organization may have: the same as for
     *                 inbound connectors, whose ranges tell the same about the node's addresses
     * @param refusals where those refusals are recorded
     */
    public OutboundConnectorRoutes(Directory directory, Connectors connectors, TransportRules rules, NodeAddresses thisNode,
                                   RefusalThrottle throttle, Refusals refusals) {
        this.directory = directory;
        this.connectors = connectors;
        this.rules = rules;
        this.thisNode = thisNode;
        this.refusals = new ReachRefusals(throttle, refusals);
    }

    public void register(Router router) {
        router.resource(BASE, this::list, this::create, this::get, this::update, this::delete);
    }

    record View(String id, String organizationId, String name, String connectorType, boolean enabled, String comment,
                List<String> recipientDomains, boolean allAcceptedDomains, List<String> smartHosts, boolean useMxRecord,
                String tlsSettings, String tlsDomain, boolean isTransportRuleScoped, boolean routeAllMessagesViaOnPremises,
                Validation lastValidation, boolean localHopsAllowed) {
        static View of(OutboundConnector c) {
            return new View(c.id(), c.organizationId(), c.name(), EopNames.of(c.type()), c.enabled(), c.comment(),
                    strings(c.recipientDomains()), c.allAcceptedDomains(), strings(c.smartHosts()), c.useMxRecord(),
                    c.tlsSettings() == TlsSettings.NONE ? null : EopNames.of(c.tlsSettings()),
                    c.tlsDomain() == null ? null : c.tlsDomain().name(), c.isTransportRuleScoped(),
                    c.routeAllMessagesViaOnPremises(), c.lastValidation(), c.localHopsAllowed());
        }
    }

    /** The body of POST and PATCH; null means "not given" (PATCH keeps the value, POST uses the default). */
    record Fields(String organizationId, String name, String connectorType, Boolean enabled, String comment,
                  List<String> recipientDomains, Boolean allAcceptedDomains, List<String> smartHosts, Boolean useMxRecord,
                  String tlsSettings, String tlsDomain, Boolean isTransportRuleScoped, Boolean routeAllMessagesViaOnPremises,
                  Boolean localHopsAllowed) {
    }

    private Response list(Request request) {
        return Access.listPerOrganization(directory, request, connectors::outbound, View::of);
    }

    private Response create(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        String organizationId = ConnectorFields.requireNew(errors, directory, caller, body.organizationId(), body.name(),
                body.connectorType());
        refusals.requireNotThrottled(caller, organizationId);
        Access.requireChangeable(caller, organizationId, Access.noOrganization(organizationId));
        OutboundConnector draft = withLocalHops(request, body, null, merge(errors, body, null, organizationId));
        OutboundConnector created = connectors.createOutbound(draft);
        return Response.created(BASE + "/" + created.id(), View.of(created));
    }

    private Response get(Request request) {
        request.allowQuery();
        return Response.ok(View.of(visible(request, connectors)));
    }

    private Response update(Request request) {
        request.allowQuery();
        OutboundConnector current = visible(request, connectors);
        Access.requireChangeable(request.caller(), current.organizationId(), ConnectorFields.notFound(KIND, current.id()));
        refusals.requireNotThrottled(request.caller(), current.organizationId());
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        ConnectorFields.refuseMove(errors, body.organizationId(), current.organizationId());
        OutboundConnector changed = withLocalHops(request, body, current, merge(errors, body, current, current.organizationId()));
        return Response.ok(View.of(connectors.updateOutbound(changed)));
    }

    /**
     * Sets {@link OutboundConnector#localHopsAllowed} and checks the smart hosts against it. Only a global
     * administrator may allow the node itself as a next hop (a content filter on loopback), and only by
     * saying so ({@code localHopsAllowed: true}); an organization administrator who changes the smart hosts
     * clears it, and may not name the node itself ({@code localhost}, loopback, link-local, multicast, the
     * node's own addresses: they would let a tenant reach the node's services through delivery and
     * {@code validate}). A host name that resolves there is caught where it is resolved, at delivery and
     * {@code validate}. Private addresses stay allowed: that is where on-premises servers live.
     *
     * <p>Such a refusal tells whether an address is one of the node's own, as an inbound connector's range does;
     * for an organization administrator it is audited and counted like those ({@link ReachRefusals}).
     */
    private OutboundConnector withLocalHops(Request request, Fields body, OutboundConnector current, OutboundConnector changed) {
        Caller caller = request.caller();
        boolean sameHops = current != null && current.smartHosts().equals(changed.smartHosts())
                && current.useMxRecord() == changed.useMxRecord();
        boolean wasAllowed = current != null && current.localHopsAllowed();
        FieldErrors errors = new FieldErrors();
        boolean allowed;
        if (body.localHopsAllowed() != null) {
            allowed = body.localHopsAllowed();
            // saying again what is already so (an import, a full-object PATCH) is not asking for it
            if (allowed && !caller.isGlobalAdmin() && !(wasAllowed && sameHops))
                throw ProblemException.forbidden("Only a global administrator may let a connector deliver to this node itself.");
        } else {
            allowed = wasAllowed && (sameHops || caller.isGlobalAdmin());
        }
        if (!allowed && (!sameHops || wasAllowed)) { // new hops, or the hops lose their permission
            for (HostPort hp : changed.smartHosts()) {
                if (isTheNodeItself(hp.host())) errors.add("smartHosts", hp + " is this node itself; " + (caller.isGlobalAdmin()
                        ? "set localHopsAllowed to deliver there (a content filter on this machine)"
                        : "an organization's smart hosts must be its own servers"));
            }
        }
        if (!errors.isEmpty())
            refusals.refuse(request, current == null ? BASE : BASE + "/{id}", changed.organizationId(),
                    current == null ? null : current.id(), List.of(SMART_HOST_OF_THIS_NODE), errors);
        return changed.withLocalHopsAllowed(allowed);
    }

    /** What refused a change, as the audit log records it. */
    static final String SMART_HOST_OF_THIS_NODE = "smart host is this node itself";

    private boolean isTheNodeItself(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".localhost.")) return true;
        if (!h.matches("[0-9.]+") && !h.contains(":")) return false; // a name, not a literal
        try {
            return thisNode.isThisNode(java.net.InetAddress.ofLiteral(h));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Response delete(Request request) {
        request.allowQuery();
        OutboundConnector current = visible(request, connectors);
        Access.requireChangeable(request.caller(), current.organizationId(), ConnectorFields.notFound(KIND, current.id()));
        // Mail a rule routes through a deleted connector would silently take the default route instead;
        // under the lock the rule routes take, so no rule comes to name it between the check and the delete.
        return OrganizationLock.with(current.organizationId(), () -> {
            List<String> users = rules.rules(current.organizationId()).stream()
                    .filter(r -> current.id().equals(r.actions().routeUsingConnector())).map(r -> "'" + r.name() + "'").toList();
            if (!users.isEmpty()) {
                throw ProblemException.conflict("Mail flow rule(s) " + String.join(", ", users) + " route mail through "
                        + current.name() + "; change or delete them first.");
            }
            connectors.deleteOutbound(current.id());
            return Response.noContent();
        });
    }

    /**
     * {@code body} over {@code current} (null for POST); throws the 400 for invalid fields or combinations.
     * The last validation is kept only while the next hops and TLS settings it tested are unchanged.
     */
    private static OutboundConnector merge(FieldErrors errors, Fields body, OutboundConnector current, String organizationId) {
        OutboundConnector changed = settings(errors, body, current, organizationId);
        boolean sameHops = current != null && current.smartHosts().equals(changed.smartHosts())
                && current.useMxRecord() == changed.useMxRecord() && current.tlsSettings() == changed.tlsSettings()
                && Objects.equals(current.tlsDomain(), changed.tlsDomain());
        return sameHops ? changed.withValidation(current.lastValidation()) : changed;
    }

    private static OutboundConnector settings(FieldErrors errors, Fields body, OutboundConnector current, String organizationId) {
        ConnectorType type = ConnectorFields.type(errors, body.connectorType(), current == null ? null : current.type());
        List<DomainPattern> domains = parsed(errors, "recipientDomains", body.recipientDomains(), DomainPattern::parse);
        List<HostPort> hosts = parsed(errors, "smartHosts", body.smartHosts(), HostPort::parse);
        TlsSettings tls = body.tlsSettings() == null ? (current == null ? TlsSettings.NONE : current.tlsSettings())
                : errors.parse("tlsSettings", body.tlsSettings(), t -> EopNames.parse(TlsSettings.class, t));
        String tlsDomainText = body.tlsDomain() != null ? body.tlsDomain()
                // leaving DomainValidation drops its tlsDomain, as EOP does
                : tls == TlsSettings.DOMAIN_VALIDATION && current != null && current.tlsDomain() != null ? current.tlsDomain().name() : "";
        Domain tlsDomain = tlsDomainText.isBlank() ? null : errors.parse("tlsDomain", tlsDomainText, Domain::of);
        if (body.tlsDomain() != null && tlsDomain != null && CertificateNames.problem(tlsDomain.name()) != null)
            errors.add("tlsDomain", "must be a DNS host name (letters, digits, hyphens), not an IP address");
        if (body.name() != null) errors.check(!body.name().isBlank(), "name", "must not be blank");
        errors.throwIfAny();
        boolean useMx = either(body.useMxRecord(), hosts, current == null ? null : current.useMxRecord());
        boolean allAccepted = either(body.allAcceptedDomains(), domains, current == null ? null : current.allAcceptedDomains());
        return ConnectorFields.build(() -> new OutboundConnector(current == null ? "" : current.id(), organizationId,
                pick(body.name(), current, OutboundConnector::name, null).strip(), type,
                pick(body.enabled(), current, OutboundConnector::enabled, true),
                text(body.comment(), current, OutboundConnector::comment),
                allAccepted && domains == null ? List.of() : pick(domains, current, OutboundConnector::recipientDomains, List.of()),
                allAccepted,
                useMx && hosts == null ? List.of() : pick(hosts, current, OutboundConnector::smartHosts, List.of()),
                useMx, tls, tlsDomain,
                pick(body.isTransportRuleScoped(), current, OutboundConnector::isTransportRuleScoped, false),
                pick(body.routeAllMessagesViaOnPremises(), current, OutboundConnector::routeAllMessagesViaOnPremises, false),
                null, false));
    }

    /** The flag of an either-or pair: as given; else off when only the list was given; else as it was. */
    private static boolean either(Boolean flag, List<?> list, Boolean current) {
        if (flag != null) return flag;
        if (list != null) return false;
        return current != null && current;
    }

    static OutboundConnector visible(Request request, Connectors connectors) {
        return ConnectorFields.visible(request, connectors::outboundConnector, OutboundConnector::organizationId, KIND);
    }
}

package sluice.admin.api;

import sluice.admin.auth.Caller;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.admin.http.UserMessages;
import sluice.core.connector.Connectors;
import sluice.core.connector.OutboundConnector;
import sluice.core.mail.Address;
import sluice.core.org.Directory;
import sluice.core.rule.RuleActions;
import sluice.core.rule.RulePredicates;
import sluice.core.rule.TransportRule;
import sluice.core.rule.TransportRules;

import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /api/v1/rules}: mail flow rules with EOP's names ({@code New-TransportRule}). A rule has
 * conditions (all must match; none: every message), exceptions (any skips the rule) and actions.
 * In a PATCH, {@code conditions}, {@code exceptions} and {@code actions} replace the whole object
 * when given; {@code priority} moves the rule and renumbers the others (0 runs first).
 * {@code routeUsingConnector} takes an outbound connector of the organization by name or id and
 * shows its name, as EOP does (the rule keeps the id, so renaming the connector keeps the rule).
 * {@code fromScope} and {@code sentToScope} are {@code InOrganization} or {@code NotInOrganization}.
 */
public final class RuleRoutes {

    static final String BASE = "/api/v1/rules";

    private final Directory directory;
    private final Connectors connectors;
    private final TransportRules rules;

    public RuleRoutes(Directory directory, Connectors connectors, TransportRules rules) {
        this.directory = directory;
        this.connectors = connectors;
        this.rules = rules;
    }

    public void register(Router router) {
        router.resource(BASE, this::list, this::create, this::get, this::update, this::delete);
    }

    /** Conditions or exceptions, as the API spells them. */
    record Predicates(List<String> fromAddresses, List<String> senderDomainIs, List<String> recipientAddresses,
                      List<String> recipientDomainIs, String fromScope, String sentToScope, List<String> subjectContainsWords,
                      List<String> subjectOrBodyContainsWords, HeaderPatterns headerMatchesPatterns,
                      List<String> attachmentExtensionMatchesWords, Integer sclOver) {
        static Predicates of(RulePredicates p) {
            return new Predicates(p.fromAddresses(), p.senderDomainIs(), p.recipientAddresses(), p.recipientDomainIs(),
                    EopNames.of(p.fromScope()), EopNames.of(p.sentToScope()), p.subjectContainsWords(),
                    p.subjectOrBodyContainsWords(), p.headerMatchesPatterns() == null ? null
                    : new HeaderPatterns(p.headerMatchesPatterns().name(), p.headerMatchesPatterns().patterns()),
                    p.attachmentExtensionMatchesWords(), p.sclOver());
        }

        RulePredicates parse(FieldErrors errors, String field) {
            var from = fromScope == null ? null : errors.parse(field + "/fromScope", fromScope, s -> EopNames.parse(RulePredicates.Scope.class, s));
            var to = sentToScope == null ? null : errors.parse(field + "/sentToScope", sentToScope, s -> EopNames.parse(RulePredicates.Scope.class, s));
            var header = headerMatchesPatterns == null ? null : checked(errors, field + "/headerMatchesPatterns",
                    () -> new RulePredicates.HeaderPattern(headerMatchesPatterns.name(), headerMatchesPatterns.patterns()));
            return checked(errors, field, () -> new RulePredicates(fromAddresses, senderDomainIs, recipientAddresses,
                    recipientDomainIs, from, to, subjectContainsWords, subjectOrBodyContainsWords, header,
                    attachmentExtensionMatchesWords, sclOver));
        }
    }

    /** @param name the header field; @param patterns regular expressions (Java syntax, case-insensitive, at most 128 characters each) */
    record HeaderPatterns(String name, List<String> patterns) {
    }

    record Rejection(String reasonText, String enhancedStatusCode) {
    }

    record Header(String name, String value) {
    }

    record Actions(Rejection rejectMessage, Boolean deleteMessage, Boolean quarantine, List<String> redirectTo,
                   List<String> addBcc, Integer setScl, Header setHeader, String prependSubject, String routeUsingConnector,
                   Boolean stopProcessingRules) {
        /** {@code connector}: the name routeUsingConnector shows (EOP names the connector; we keep its id). */
        static Actions of(RuleActions a, String connector) {
            return new Actions(a.rejectMessage() == null ? null
                    : new Rejection(a.rejectMessage().reasonText(), a.rejectMessage().enhancedStatusCode()),
                    a.deleteMessage(), a.quarantine(), a.redirectTo(), a.addBcc(), a.setScl(),
                    a.setHeader() == null ? null : new Header(a.setHeader().name(), a.setHeader().value()),
                    a.prependSubject(), connector, a.stopProcessingRules());
        }

        Actions withConnector(String id) {
            return new Actions(rejectMessage, deleteMessage, quarantine, redirectTo, addBcc, setScl, setHeader, prependSubject,
                    id, stopProcessingRules);
        }

        RuleActions parse(FieldErrors errors) {
            var reject = rejectMessage == null ? null : checked(errors, "actions/rejectMessage",
                    () -> new RuleActions.Rejection(rejectMessage.reasonText(), rejectMessage.enhancedStatusCode()));
            var header = setHeader == null ? null : checked(errors, "actions/setHeader",
                    () -> new RuleActions.SetHeader(setHeader.name(), setHeader.value()));
            if (!errors.isEmpty()) return null;
            return checked(errors, "actions", () -> new RuleActions(reject, Boolean.TRUE.equals(deleteMessage),
                    Boolean.TRUE.equals(quarantine), redirectTo, addBcc, setScl, header, prependSubject, routeUsingConnector,
                    Boolean.TRUE.equals(stopProcessingRules)));
        }
    }

    record View(String id, String organizationId, String name, int priority, boolean enabled, String comment,
                Predicates conditions, Predicates exceptions, Actions actions) {
    }

    /** A rule as the API shows it: routeUsingConnector by the connector's name (its id once it is gone). */
    private View view(TransportRule r) {
        String connector = r.actions().routeUsingConnector();
        String shown = connector == null ? null
                : connectors.outboundConnector(connector).map(OutboundConnector::name).orElse(connector);
        return new View(r.id(), r.organizationId(), r.name(), r.priority(), r.enabled(), r.comment(),
                Predicates.of(r.conditions()), Predicates.of(r.exceptions()), Actions.of(r.actions(), shown));
    }

    /** The body of POST and PATCH; null means "not given" (PATCH keeps the value, POST uses the default). */
    record Fields(String organizationId, String name, Integer priority, Boolean enabled, String comment,
                  Predicates conditions, Predicates exceptions, Actions actions) {
    }

    private Response list(Request request) {
        return Access.listPerOrganization(directory, request, rules::rules, this::view);
    }

    private Response create(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        errors.required("organizationId", body.organizationId());
        errors.required("name", body.name());
        errors.required("actions", body.actions());
        String org = body.organizationId();
        if (org == null || !caller.canSee(org) || directory.organization(org).isEmpty()) {
            if (org != null) errors.add("organizationId", "no such organization");
            // Stop before anything is looked up in another tenant (whether routeUsingConnector names
            // a connector of theirs) or locked for an id nobody has checked.
            errors.throwIfAny();
        }
        Access.requireChangeable(caller, org, Access.noOrganization(org));
        // the connector a rule names must not be deleted between the check and the write
        TransportRule created = OrganizationLock.with(org, () -> rules.create(merge(errors, body, null, org)));
        return Response.created(BASE + "/" + created.id(), view(created));
    }

    private Response get(Request request) {
        request.allowQuery();
        return Response.ok(view(visible(request)));
    }

    private Response update(Request request) {
        request.allowQuery();
        TransportRule current = visible(request);
        Access.requireChangeable(request.caller(), current.organizationId(), notFound(current.id()));
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        if (body.organizationId() != null && !body.organizationId().equals(current.organizationId()))
            errors.add("organizationId", "cannot be changed; delete the rule and create it in the other organization");
        String org = current.organizationId();
        return Response.ok(view(OrganizationLock.with(org, () -> rules.update(merge(errors, body, current, org)))));
    }

    private Response delete(Request request) {
        request.allowQuery();
        TransportRule current = visible(request);
        Access.requireChangeable(request.caller(), current.organizationId(), notFound(current.id()));
        rules.delete(current.id());
        return Response.noContent();
    }

    /** {@code body} over {@code current} (null for POST); throws the 400 listing every invalid field. */
    private TransportRule merge(FieldErrors errors, Fields body, TransportRule current, String org) {
        RulePredicates conditions = body.conditions() == null ? null : body.conditions().parse(errors, "conditions");
        RulePredicates exceptions = body.exceptions() == null ? null : body.exceptions().parse(errors, "exceptions");
        Actions given = body.actions();
        String connector = given == null || given.routeUsingConnector() == null || given.routeUsingConnector().isBlank() ? null
                : connectorId(org, given.routeUsingConnector());
        if (connector == null && given != null && given.routeUsingConnector() != null && !given.routeUsingConnector().isBlank())
            errors.add("actions/routeUsingConnector", "no outbound connector '" + given.routeUsingConnector() + "' in this organization");
        RuleActions actions = given == null || !errors.isEmpty() ? null : given.withConnector(connector).parse(errors);
        if (actions != null) {
            refuseOtherOrganizations(errors, "actions/redirectTo", actions.redirectTo(), org);
            refuseOtherOrganizations(errors, "actions/addBcc", actions.addBcc(), org);
            // a rule must not make mail look as if another organization sent it, nor send replies into its mailboxes
            RuleActions.SetHeader header = actions.setHeader();
            String foreign = header == null ? null : RuleActions.SetHeader.foreignAddress(header.name(), header.value(), org,
                    d -> directory.acceptedDomainFor(d).map(sluice.core.org.AcceptedDomain::organizationId));
            if (foreign != null) errors.add("actions/setHeader", foreign);
        }
        if (body.name() != null) errors.check(!body.name().isBlank(), "name", "must not be blank");
        if (body.priority() != null) errors.check(body.priority() >= 0, "priority", "must be 0 or more (0 runs first)");
        errors.throwIfAny();
        return ConnectorFields.build(() -> new TransportRule(current == null ? "" : current.id(), org,
                ConnectorFields.pick(body.name(), current, TransportRule::name, null),
                ConnectorFields.pick(body.priority(), current, TransportRule::priority, Integer.MAX_VALUE),
                ConnectorFields.pick(body.enabled(), current, TransportRule::enabled, true),
                ConnectorFields.text(body.comment(), current, TransportRule::comment),
                ConnectorFields.pick(conditions, current, TransportRule::conditions, RulePredicates.NONE),
                ConnectorFields.pick(exceptions, current, TransportRule::exceptions, RulePredicates.NONE),
                ConnectorFields.pick(actions, current, TransportRule::actions, null)));
    }

    /**
     * Only the actions given are checked, so a rule that predates this check can still be renamed or
     * disabled. An address in a domain another organization accepts would deliver this organization's
     * mail into that tenant's mailboxes without that tenant's rules or protection deciding: refused
     * for every caller, global administrators too. The rule's own domains and outside addresses are fine.
     */
    private void refuseOtherOrganizations(FieldErrors errors, String field, List<String> addresses, String org) {
        for (String address : addresses)
            directory.acceptedDomainFor(Address.parse(address).domain()).filter(d -> !d.organizationId().equals(org))
                    .ifPresent(d -> errors.add(field, address + " is in a domain another organization accepts; a rule may "
                            + "add only addresses in its own organization's domains or outside this node"));
    }

    /** The id of the organization's outbound connector with this id or name (case-insensitive), or null. */
    private String connectorId(String org, String idOrName) {
        if (org == null) return null;
        return connectors.outbound(org).stream()
                .filter(c -> c.id().equals(idOrName) || c.name().equalsIgnoreCase(idOrName.strip()))
                .map(OutboundConnector::id).findFirst().orElse(null);
    }

    /** The record constructors' rules ("at least one action", a bad regex) as a 400 naming the field. */
    private static <T> T checked(FieldErrors errors, String field, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            errors.add(field, UserMessages.of(e, "is invalid"));
            return null;
        }
    }

    private TransportRule visible(Request request) {
        String id = request.param("id");
        return rules.rule(id).filter(r -> request.caller().canSee(r.organizationId()))
                .orElseThrow(() -> ProblemException.notFound(notFound(id)));
    }

    private static String notFound(String id) {
        return "There is no mail flow rule with id " + id + ".";
    }
}

package sluice.admin.api;

import sluice.admin.http.FieldErrors;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.connector.Connectors;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundConnector.Validation;
import sluice.core.deliver.remote.ConnectorValidator;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;

import java.util.List;

/**
 * {@code POST /api/v1/connectors/outbound/{id}/validate}: EOP's "validate this connector". Connects
 * to every next hop and, with {@code {"recipients": [...]}}, sends a test message; the report is
 * stored on the connector and returned (200 even when the validation failed: the request worked, the
 * report says what did not). It changes the connector and may send mail, so it needs a role that
 * may change the organization.
 */
public final class ConnectorValidationRoute {

    /** A test message is for a handful of mailboxes, not a mailing list. */
    static final int MAX_RECIPIENTS = 10;

    private final Directory directory;
    private final Connectors connectors;
    private final ConnectorValidator validator;

    public ConnectorValidationRoute(Directory directory, Connectors connectors, ConnectorValidator validator) {
        this.directory = directory;
        this.connectors = connectors;
        this.validator = validator;
    }

    public void register(Router router) {
        router.add("POST", OutboundConnectorRoutes.BASE + "/{id}/validate", this::validate);
    }

    record Options(List<String> recipients) {
    }

    private Response validate(Request request) {
        request.allowQuery();
        OutboundConnector connector = OutboundConnectorRoutes.visible(request, connectors);
        Access.requireChangeable(request.caller(), connector.organizationId(),
                ConnectorFields.notFound(OutboundConnectorRoutes.KIND, connector.id()));
        List<Address> recipients = recipients(request);
        Validation result = validator.validate(connector, recipients, senderDomain(connector.organizationId()));
        // Validation takes seconds; store the result on the connector as it is now, not as it was.
        OutboundConnector now = connectors.outboundConnector(connector.id()).orElse(connector);
        connectors.updateOutbound(now.withValidation(result));
        return Response.ok(result);
    }

    private static List<Address> recipients(Request request) {
        if (!request.hasBody()) return List.of();
        Options options = request.body(Options.class);
        FieldErrors errors = new FieldErrors();
        List<Address> recipients = ConnectorFields.parsed(errors, "recipients", options.recipients(), Address::parse);
        if (recipients != null) errors.check(recipients.size() <= MAX_RECIPIENTS, "recipients", "must have at most " + MAX_RECIPIENTS + " entries");
        errors.throwIfAny();
        return recipients == null ? List.of() : recipients;
    }

    /** The test message comes from postmaster@ the organization's first accepted domain (the validator's host name if none). */
    private Domain senderDomain(String organizationId) {
        return directory.acceptedDomains(organizationId).stream().map(AcceptedDomain::domain).findFirst().orElse(null);
    }
}

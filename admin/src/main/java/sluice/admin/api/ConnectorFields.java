package sluice.admin.api;

import sluice.admin.auth.Caller;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.UserMessages;
import sluice.core.connector.ConnectorType;
import sluice.core.org.Directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the inbound and outbound connector routes share: parsing list fields with a pointer per bad
 * element, PATCH merging (a field left out keeps its value), and the scope checks. JSON null and an
 * absent field are the same to our request records, so a string setting is cleared with {@code ""}.
 */
final class ConnectorFields {

    /** More would be a configuration mistake, and every entry costs work on each connection. */
    static final int MAX_LIST = 1000;

    private ConnectorFields() {
    }

    /** Each value parsed; a bad one is recorded as {@code field/index}. Null when {@code values} is null. */
    static <T> List<T> parsed(FieldErrors errors, String field, List<String> values, Function<String, T> parser) {
        if (values == null) return null;
        if (values.size() > MAX_LIST) {
            errors.add(field, "must have at most " + MAX_LIST + " entries");
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null) {
                errors.add(field + "/" + i, "must not be null");
                continue;
            }
            T parsed = errors.parse(field + "/" + i, v, parser);
            if (parsed != null) out.add(parsed);
        }
        return out;
    }

    /** The given value, else the current one (PATCH), else the default (POST, {@code current} null). */
    static <T, C> T pick(T given, C current, Function<C, T> of, T defaultValue) {
        if (given != null) return given;
        return current != null ? of.apply(current) : defaultValue;
    }

    /** {@code ""} clears a string setting; null keeps the current value. */
    static <C> String text(String given, C current, Function<C, String> of) {
        if (given != null) return given.isBlank() ? null : given.strip();
        return current != null ? of.apply(current) : null;
    }

    static ConnectorType type(FieldErrors errors, String given, ConnectorType current) {
        if (given == null) return current;
        return errors.parse("connectorType", given, t -> EopNames.parse(ConnectorType.class, t));
    }

    /**
     * For POST: the required fields are given, and organizationId names an organization the caller
     * can see (one out of scope reads as absent). Returns organizationId.
     */
    static String requireNew(FieldErrors errors, Directory directory, Caller caller, String organizationId, String name,
                             String connectorType) {
        errors.required("organizationId", organizationId);
        errors.required("name", name);
        errors.required("connectorType", connectorType);
        if (organizationId != null && (!caller.canSee(organizationId) || directory.organization(organizationId).isEmpty()))
            errors.add("organizationId", "no such organization");
        return organizationId;
    }

    /** For PATCH: the organization is fixed. */
    static void refuseMove(FieldErrors errors, String given, String current) {
        if (given != null && !given.equals(current))
            errors.add("organizationId", "cannot be changed; delete the connector and create it in the other organization");
    }

    /** The connector, if it exists and the caller may see it; else 404 exactly as if it did not exist. */
    static <T> T visible(Request request, Function<String, Optional<T>> find, Function<T, String> organization, String kind) {
        String id = request.param("id");
        return find.apply(id).filter(c -> request.caller().canSee(organization.apply(c)))
                .orElseThrow(() -> ProblemException.notFound(notFound(kind, id)));
    }

    /** Values as the API writes them: IP ranges in CIDR, domain patterns, host:port. */
    static List<String> strings(List<?> values) {
        return values.stream().map(String::valueOf).toList();
    }

    static String notFound(String kind, String id) {
        return "There is no " + kind + " connector with id " + id + ".";
    }

    /** The record constructors' rules (e.g. "tlsDomain goes with DomainValidation") surface as a 400 naming the rule. */
    static <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(UserMessages.of(e, "The connector settings are not valid."));
        }
    }
}

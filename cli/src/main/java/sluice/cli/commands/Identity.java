package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import sluice.cli.CliException;
import sluice.cli.http.Api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What a verb's IDENTITY argument names: an id, or (as Exchange's -Identity) the natural key: an
 * organization or connector name, a domain name, a mailbox address. Names that match several
 * objects (connectors of two organizations) must be given as ids.
 */
final class Identity {

    private Identity() {
    }

    /** The object at {@code base} whose id is {@code given}, or whose {@code keyField} equals it (case-insensitive). */
    static JsonNode find(Api api, String base, String keyField, String what, String given) {
        if (isId(given)) return api.get(base + "/" + given);
        String wanted = given.strip().toLowerCase(Locale.ROOT);
        List<JsonNode> matches = api.list(base, Map.of()).stream()
                .filter(n -> n.path(keyField).asText("").toLowerCase(Locale.ROOT).equals(wanted)).toList();
        if (matches.isEmpty()) throw new CliException("Not Found: there is no " + what + " '" + given + "'");
        if (matches.size() > 1)
            throw new CliException("there are " + matches.size() + " " + what + "s named '" + given + "'; give the id instead");
        return matches.getFirst();
    }

    static String id(Api api, String base, String keyField, String what, String given) {
        return isId(given) ? given : find(api, base, keyField, what, given).path("id").asText();
    }

    static boolean isId(String s) {
        try {
            UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

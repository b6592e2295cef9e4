package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import sluice.cli.CliException;
import sluice.cli.http.Api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The organization a command works in: {@code --organization} (name or id), else the only one the caller can see. */
public final class Organizations {

    static final String BASE = "/organizations";

    private Organizations() {
    }

    /** The id of the organization {@code given} names; when null, of the only visible organization. */
    public static String resolve(Api api, String given) {
        if (given != null) return Identity.id(api, BASE, "name", "organization", given);
        List<JsonNode> all = api.list(BASE, Map.of());
        if (all.size() == 1) return all.getFirst().path("id").asText();
        if (all.isEmpty())
            throw new CliException("there is no organization yet: create one with 'sluice organization new --name NAME'");
        throw new CliException("you can see " + all.size() + " organizations: choose one with --organization NAME|ID");
    }

    /** For list filters: the id, or null (all visible organizations) when not given. */
    static String filter(Api api, String given) {
        return given == null ? null : Identity.id(api, BASE, "name", "organization", given);
    }

    /** Organization names by id, for the Organization column of tables. */
    static Map<String, String> names(Api api) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode o : api.list(BASE, Map.of())) names.put(o.path("id").asText(), o.path("name").asText());
        return names;
    }
}

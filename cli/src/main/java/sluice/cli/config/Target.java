package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import sluice.cli.CliException;
import sluice.cli.http.Api;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The organization an import writes into: the one {@code --organization} names, never the one the
 * file names. A file is often written by the tenant it describes; applied with a global
 * administrator's token, a file that chose its own target could write into another tenant's
 * organization, or create one. So the file's {@code organization.name}, when given, must be the
 * same organization, and a missing organization is created only when asked to.
 *
 * @param name    the organization's name (as the server spells it when it exists)
 * @param current the organization as the server has it; null when it is to be created
 */
record Target(String name, JsonNode current) {

    static Target resolve(Api api, String given, ConfigFile file, boolean create, String fileName) {
        String wanted = given.strip();
        List<JsonNode> matches = api.list("/organizations", Map.of()).stream()
                .filter(o -> o.path("id").asText("").equals(wanted) || sameName(o.path("name").asText(""), wanted)).toList();
        if (matches.size() > 1)
            throw new CliException("there are " + matches.size() + " organizations named '" + wanted + "'; give the id instead");
        JsonNode current = matches.isEmpty() ? null : matches.getFirst();
        String name = current == null ? wanted : current.path("name").asText();
        String named = file.organization() == null ? null : file.organization().path("name").asText();
        if (named != null && !sameName(named, name))
            throw new CliException(fileName + " is the configuration of organization '" + named + "', not of '" + name
                    + "': nothing was changed. Import it into the organization it names, or change its organization.name"
                    + " if it really is " + name + "'s.");
        if (current == null && wanted.matches("(?i)[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"))
            throw new CliException("there is no organization with the id " + wanted + ": nothing was changed");
        if (current == null && !create)
            throw new CliException("there is no organization '" + wanted + "': nothing was changed. To create it from "
                    + fileName + ", run again with --create-organization (global administrators).");
        return new Target(name, current);
    }

    /** Its id; null when it is to be created. */
    String id() {
        return current == null ? null : current.path("id").asText();
    }

    private static boolean sameName(String a, String b) {
        return a.strip().toLowerCase(Locale.ROOT).equals(b.strip().toLowerCase(Locale.ROOT));
    }
}

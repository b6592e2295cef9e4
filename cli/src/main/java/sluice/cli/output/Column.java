package sluice.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Function;

/** A table column: its header and how to read its cell from one JSON item. */
public record Column(String header, Function<JsonNode, String> value) {

    /** A field shown as text: strings as they are, lists comma-separated, null as empty. */
    public static Column of(String header, String field) {
        return new Column(header, n -> Formats.text(n.get(field)));
    }

    /** A boolean field as Yes/No (how Exchange admins read a flag in a table, and short). */
    public static Column flag(String header, String field) {
        return new Column(header, n -> n.path(field).asBoolean() ? "Yes" : "No");
    }

    public static Column time(String header, String field) {
        return new Column(header, n -> Formats.time(n.path(field).asText(null)));
    }
}

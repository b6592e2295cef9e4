package sluice.cli.commands;

import picocli.CommandLine.Option;
import sluice.cli.CliException;

import java.util.List;
import java.util.Map;

/** The options inbound and outbound connectors share: name, type, enabled, comment. */
public final class CommonConnectorFields {

    @Option(names = "--name", paramLabel = "NAME", description = "The connector's name, unique in its organization.")
    String name;

    @Option(names = "--type", paramLabel = "TYPE", description = "Partner or OnPremises.")
    String type;

    @Option(names = "--enabled", description = "Turn the connector on (the default for a new one).")
    boolean enabled;

    @Option(names = "--disabled", description = "Turn the connector off.")
    boolean disabled;

    @Option(names = "--comment", paramLabel = "TEXT", description = "A note for administrators ('' clears it).")
    String comment;

    void put(Map<String, Object> body) {
        if (enabled && disabled) throw new CliException("give either --enabled or --disabled, not both");
        if (name != null) body.put("name", name);
        if (type != null) body.put("connectorType", type);
        if (enabled || disabled) body.put("enabled", enabled);
        if (comment != null) body.put("comment", comment);
    }

    /** A comma-separated list option as the API wants it: blanks dropped, so {@code ''} means "none". */
    static List<String> list(List<String> values) {
        return values == null ? null : values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    static void putIfGiven(Map<String, Object> body, String field, Object value) {
        if (value != null) body.put(field, value instanceof List<?> l ? list(l.stream().map(String::valueOf).toList()) : value);
    }
}

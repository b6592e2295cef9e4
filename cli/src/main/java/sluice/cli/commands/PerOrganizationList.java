package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;
import sluice.cli.output.Column;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A noun's {@code list} verb: the objects of one organization ({@code --organization}) or of every one the caller can see. */
abstract class PerOrganizationList extends ApiCommand {

    @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's.")
    String organization;

    private final String base;
    private final Function<Map<String, String>, List<Column>> columns;

    /** @param base the API collection, e.g. {@code /rules}; @param columns the table's, given organization names by id */
    PerOrganizationList(String base, Function<Map<String, String>, List<Column>> columns) {
        this.base = base;
        this.columns = columns;
    }

    @Override
    protected int run() {
        Map<String, Object> query = new HashMap<>();
        query.put("organizationId", Organizations.filter(api(), organization));
        JsonNode answer = api().get(base, query);
        printer().list(answer, printer().json() ? List.of() : columns.apply(Organizations.names(api())));
        return 0;
    }
}

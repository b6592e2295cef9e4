package sluice.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import sluice.cli.CliException;
import sluice.cli.output.Terminal;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9457 problem the API answered with, as the user reads it: {@code title: detail}, then one
 * line per invalid field ({@code #/aliases/1} reads {@code aliases/1}). Each part is one
 * {@linkplain Terminal#line safe line}: a problem may quote what a tenant or a remote server wrote.
 */
public final class ApiProblem extends CliException {

    private final int status;
    private final List<String> fieldErrors;

    private ApiProblem(int status, String message, List<String> fieldErrors) {
        super(message);
        this.status = status;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    static ApiProblem of(int status, JsonNode body, String rawBody) {
        if (body == null || !body.isObject()) {
            String text = rawBody == null ? "" : rawBody.strip();
            if (text.length() > 200) text = text.substring(0, 200) + "...";
            return new ApiProblem(status, "HTTP " + status + (text.isEmpty() ? "" : ": " + Terminal.line(text)), List.of());
        }
        String title = Terminal.line(body.path("title").asText("HTTP " + status));
        String detail = Terminal.line(body.path("detail").asText(""));
        List<String> fields = new ArrayList<>();
        for (JsonNode e : body.path("errors")) {
            String pointer = e.path("pointer").asText("");
            if (pointer.startsWith("#/")) pointer = pointer.substring(2);
            fields.add(Terminal.line(pointer) + ": " + Terminal.line(e.path("detail").asText("")));
        }
        StringBuilder message = new StringBuilder(title);
        if (!detail.isEmpty()) message.append(": ").append(detail);
        for (String f : fields) message.append(System.lineSeparator()).append("  ").append(f);
        return new ApiProblem(status, message.toString(), fields);
    }

    public int status() {
        return status;
    }

    /** "field: detail" per invalid field. */
    public List<String> fieldErrors() {
        return fieldErrors;
    }
}

package sluice.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Prints API answers as the user asked: a table / property list, or the JSON as the API sent it. */
public final class Printer {

    /** {@code -o}: table for people, json for scripts. */
    public enum Format { table, json }

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static {
        PRETTY.getFactory().setCharacterEscapes(new TerminalEscapes());
    }

    private final PrintWriter out;
    private final Format format;

    public Printer(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    public boolean json() {
        return format == Format.json;
    }

    public PrintWriter out() {
        return out;
    }

    /** A list answer: the whole JSON, or a table of the items with the given columns. */
    public void list(JsonNode answer, List<Column> columns) {
        if (json()) {
            printJson(answer);
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        answer.path("items").forEach(items::add);
        table(items, columns);
    }

    public void table(List<JsonNode> items, List<Column> columns) {
        Table t = new Table(columns.stream().map(Column::header).toList());
        for (JsonNode item : items) t.row(columns.stream().map(c -> c.value().apply(item)).toList());
        t.print(out);
    }

    /**
     * One object: the JSON, or its properties as "Name : value" lines in the API's order, with
     * {@code shown} overriding how a field reads (null from it hides the field).
     */
    public void object(JsonNode answer, Map<String, Function<JsonNode, String>> shown) {
        if (json()) {
            printJson(answer);
            return;
        }
        Map<String, String> lines = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String value = shown.containsKey(e.getKey()) ? shown.get(e.getKey()).apply(e.getValue()) : Formats.text(e.getValue());
            if (value != null) lines.put(Formats.property(e.getKey()), value);
        }
        properties(lines);
    }

    /** "Name : value" lines, names aligned; names and values are made {@linkplain Terminal#line safe}. */
    public void properties(Map<String, String> given) {
        Map<String, String> lines = new LinkedHashMap<>();
        given.forEach((k, v) -> lines.put(Terminal.line(k), Terminal.line(v)));
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        lines.forEach((k, v) -> out.println((k + " ".repeat(width - k.length()) + " : " + v).stripTrailing()));
        out.flush();
    }

    public void printJson(JsonNode node) {
        try {
            out.println(TerminalEscapes.supplementary(PRETTY.writeValueAsString(node)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** A line for people, made {@linkplain Terminal#line safe}; nothing in JSON mode (where the JSON is the whole output). */
    public void say(String line) {
        if (!json()) {
            out.println(Terminal.line(line));
            out.flush();
        }
    }
}

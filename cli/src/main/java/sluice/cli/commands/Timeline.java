package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import sluice.cli.output.Formats;
import sluice.cli.output.Terminal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of one message as people read a trace: the message, then per recipient the events in
 * order. Everything in it but the times came with the mail or from remote servers: each value is
 * made {@linkplain Terminal#line safe} before it is laid out.
 */
final class Timeline {

    private static final String MESSAGE = "";

    private final PrintWriter out;

    Timeline(PrintWriter out) {
        this.out = out;
    }

    void print(JsonNode detail) {
        List<JsonNode> events = new ArrayList<>();
        detail.path("events").forEach(events::add);
        JsonNode first = events.isEmpty() ? detail : events.getFirst();
        Map<String, String> header = new LinkedHashMap<>();
        header.put("NetworkMessageId", Terminal.line(detail.path("networkMessageId").asText()));
        header.put("MessageId", Terminal.line(first.path("messageId").asText("")));
        header.put("Sender", Terminal.line(first.path("sender").asText("")));
        header.put("Subject", Terminal.line(first.path("subject").asText("")));
        header.put("Size", first.path("size").asLong() > 0 ? Formats.bytes(first.path("size").asLong()) : "");
        int width = header.keySet().stream().mapToInt(String::length).max().orElse(0);
        header.forEach((k, v) -> out.println((k + " ".repeat(width - k.length()) + " : " + v).stripTrailing()));

        Map<String, List<JsonNode>> byRecipient = new LinkedHashMap<>();
        for (JsonNode e : events) {
            String r = Terminal.line(e.path("recipient").asText(""));
            byRecipient.computeIfAbsent(r.isEmpty() ? MESSAGE : r, k -> new ArrayList<>()).add(e);
        }
        int typeWidth = events.stream().mapToInt(e -> type(e).length()).max().orElse(0);
        byRecipient.forEach((recipient, list) -> {
            out.println();
            out.println(recipient.equals(MESSAGE) ? "Message" : "Recipient " + recipient);
            for (JsonNode e : list) {
                String type = type(e);
                String indent = "  " + " ".repeat(20) + "  " + " ".repeat(typeWidth) + "  ";
                List<String> lines = details(e);
                out.println(("  " + Formats.time(e.path("at").asText(null)) + "  " + type + " ".repeat(typeWidth - type.length())
                        + "  " + (lines.isEmpty() ? "" : lines.getFirst())).stripTrailing());
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) out.println(indent + line);
            }
        });
        out.flush();
    }

    private static String type(JsonNode e) {
        return Terminal.line(e.path("type").asText(""));
    }

    /** What there is to say about one event, one item per line: client, TLS, queue id, remote reply, detail. */
    private static List<String> details(JsonNode e) {
        List<String> lines = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (e.hasNonNull("clientAddress")) where.add("from " + e.path("clientAddress").asText());
        if (e.hasNonNull("tls")) where.add("TLS " + e.path("tls").asText());
        if (e.hasNonNull("queueId")) where.add("queue id " + e.path("queueId").asText());
        if (!where.isEmpty()) lines.add(String.join(", ", where));
        // a multi-line reply keeps its lines, each under the one before: split here, so that no line break is the server's
        if (e.hasNonNull("remoteReply")) e.path("remoteReply").asText().strip().lines().forEach(l -> lines.add("reply: " + l));
        if (e.hasNonNull("detail")) lines.addAll(e.path("detail").asText().strip().lines().toList());
        return lines.stream().map(Terminal::line).toList();
    }
}

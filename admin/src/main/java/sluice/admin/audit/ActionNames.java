package sluice.admin.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Names an audited action after its route, so a new route is audited with a sensible name without
 * anyone remembering to: the literal segments after {@code /api/v1} in the singular, then the verb.
 * {@code PATCH /api/v1/connectors/outbound/{id}} is {@code connector.outbound.update}; a trailing
 * literal after a parameter is the verb itself: {@code POST /api/v1/queue/{id}/retry} is
 * {@code queue.retry}.
 */
final class ActionNames {

    static final String PREFIX = "/api/v1/";

    private ActionNames() {
    }

    static String of(String method, String pattern) {
        List<String> segments = List.of(pattern.substring(PREFIX.length()).split("/"));
        String verb = switch (method) {
            case "POST" -> "create";
            case "PUT", "PATCH" -> "update";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        int end = segments.size();
        if (isAction(segments)) {
            verb = segments.getLast();
            end--;
        }
        List<String> nouns = new ArrayList<>();
        for (String s : segments.subList(0, end)) if (!isParam(s)) nouns.add(singular(s));
        nouns.add(verb);
        return String.join(".", nouns);
    }

    /** {@code .../{id}/retry}: the last segment is a literal that follows a parameter. */
    static boolean isAction(List<String> segments) {
        return segments.size() >= 2 && !isParam(segments.getLast()) && isParam(segments.get(segments.size() - 2));
    }

    static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    static String singular(String word) {
        if (word.endsWith("ies")) return word.substring(0, word.length() - 3) + "y";
        if (word.endsWith("xes")) return word.substring(0, word.length() - 2);
        if (word.endsWith("s") && !word.endsWith("ss")) return word.substring(0, word.length() - 1);
        return word;
    }
}

package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.cli.CliException;
import sluice.cli.http.Api;
import sluice.cli.output.Printer;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paged searches (trace, quarantine): one page, or with {@code --all} every page, by following
 * each page's {@code next} link, which repeats the search (its time range pinned) from the page's end.
 */
final class Pages {

    /** The page size of {@code --all} when no {@code --limit} is given: the most the API answers at once. */
    static final int ALL_PAGE_SIZE = 1000;

    private Pages() {
    }

    /** The first page of {@code base} with {@code query}; with {@code all}, one answer holding the items of every page. */
    static JsonNode fetch(Api api, String base, Map<String, Object> query, boolean all) {
        if (all) query.putIfAbsent("limit", ALL_PAGE_SIZE); // also when mapped to null
        JsonNode page = api.get(base, query);
        if (!all) return page;
        ObjectNode whole = Api.JSON.createObjectNode();
        ArrayNode items = whole.putArray("items");
        Set<String> followed = new HashSet<>();
        while (true) {
            page.path("items").forEach(items::add);
            String next = page.path("next").asText(null);
            if (next == null) return whole;
            // only the same search on the same server, and never the same page twice (a server gone wrong)
            if (!next.startsWith("/api/v1" + base + "?") || !followed.add(next))
                throw new CliException("the server's link to the next page is not a next page of this search; stopped");
            page = api.get(next.substring("/api/v1".length()));
        }
    }

    /**
     * After a page's table: how to get the next page, when there is one. The time range the server
     * resolved (from the {@code next} link) goes with the cursor: a search that took the default "last 48
     * hours", or a relative --from, repeated later would cover other hours and silently miss rows.
     */
    static void hint(Printer printer, JsonNode page) {
        String cursor = page.path("nextCursor").asText(null);
        if (cursor == null) return;
        Map<String, String> next = query(page.path("next").asText(""));
        StringBuilder repeat = new StringBuilder();
        for (String name : List.of("from", "to"))
            if (next.containsKey(name)) repeat.append("--").append(name).append(' ').append(next.get(name)).append(' ');
        printer.say("More results: repeat with " + repeat + "--cursor " + cursor + " for the next page, or --all for all of them.");
    }

    /** The decoded query parameters of a link; a malformed one gives what could be read. */
    private static Map<String, String> query(String link) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = link.indexOf('?');
        if (q < 0) return out;
        for (String pair : link.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            try {
                out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a bad escape: that parameter is not shown
            }
        }
        return out;
    }
}

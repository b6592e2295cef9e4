package sluice.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import sluice.admin.http.Json;
import sluice.admin.http.ProblemException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The {@code cursor} of a paged search, opaque to clients: base64url (no padding) of a JSON array of
 * strings, the search's name first, then the last row's sort key. It only positions: the scope and
 * the filters come from each request, so a cursor edited by hand can move a caller within its own
 * results and nowhere else, and it needs no signature. It is read strictly (the exact form this class
 * writes, nothing longer than {@link #MAX_LENGTH}: times as Long.toString writes them, no NUL nor half
 * surrogate in any part); anything else is a 400, never a 500.
 */
final class PageCursor {

    static final int MAX_LENGTH = 2048;

    private PageCursor() {
    }

    static String encode(String search, List<String> key) {
        List<String> parts = new ArrayList<>(key.size() + 1);
        parts.add(search);
        parts.addAll(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(parts));
    }

    /** The key of a cursor {@code encode(search, key)} wrote with {@code size} parts; a 400 problem otherwise. */
    static List<String> decode(String search, String cursor, int size) {
        if (cursor.length() > MAX_LENGTH) throw invalid();
        JsonNode parts;
        try {
            parts = Json.parse(Base64.getUrlDecoder().decode(cursor));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (parts == null || !parts.isArray() || parts.size() != size + 1 || !parts.get(0).isTextual()
                || !search.equals(parts.get(0).textValue()))
            throw invalid();
        List<String> key = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            if (!parts.get(i).isTextual() || !written(parts.get(i).textValue())) throw invalid();
            key.add(parts.get(i).textValue());
        }
        // the one form we write: no padding, no spaces, no other escapes of the same text
        if (!encode(search, key).equals(cursor)) throw invalid();
        return key;
    }

    /**
     * Could a key part be the text of a row: no NUL (PostgreSQL refuses it in text, so the store would
     * fail on it) and no half of a surrogate pair (no UTF-8 text holds one)? Anything else is refused
     * no further: a part is bound as a parameter and only positions, and a row may hold any other
     * character (an SMTPUTF8 address may hold U+0085), whose cursor must go on to the next page.
     */
    private static boolean written(String part) {
        return part.codePoints().noneMatch(c -> c == 0 || Character.getType(c) == Character.SURROGATE);
    }

    /** A time part as {@code encode} writes it: epoch milliseconds, not negative, in the one form Long.toString gives. */
    static long millis(String part) {
        long millis;
        try {
            millis = Long.parseLong(part);
        } catch (NumberFormatException e) {
            throw invalid();
        }
        if (millis < 0 || !Long.toString(millis).equals(part)) throw invalid();
        return millis;
    }

    static ProblemException invalid() {
        return ProblemException.badRequest("Query parameter 'cursor' is not a cursor of this search. Pass the nextCursor "
                + "of the previous page unchanged, or follow its next link.");
    }

    /** {@code base?name=value&...} of the non-null values, for the {@code next} link of a page. */
    static String link(String base, Map<String, ?> query) {
        StringJoiner j = new StringJoiner("&", base + "?", "");
        query.forEach((name, value) -> {
            if (value != null) j.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
        });
        return j.toString();
    }
}

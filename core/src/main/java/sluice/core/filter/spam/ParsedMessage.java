package sluice.core.filter.spam;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A message as the spam filter sees it: top-level headers (unfolded, RFC 2047 words decoded),
 * the MIME parts' descriptors, the decoded text of text/plain parts, the rendered text of
 * text/html parts, and what the HTML rendering found. Bounded: text beyond
 * {@link MessageParser#MAX_TEXT_CHARS} is not kept.
 */
record ParsedMessage(List<Header> headers, List<Part> parts, String plainText, String htmlText, List<Link> links,
                     int images, Set<String> htmlTags, int asciiEntities, boolean truncated) {

    record Header(String name, String value) {
        /** Lower-case name, as header tokens and lookups use it. */
        String key() {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    /** One leaf entity: its media type (lower case), charset, transfer encoding and file name. */
    record Part(String mimeType, String charset, String transferEncoding, String filename) {
    }

    /** The first value of a header, or null. */
    String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    List<String> headers(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    boolean hasPart(String mimeType) {
        return parts.stream().anyMatch(p -> p.mimeType().equals(mimeType));
    }

    /** All text a reader sees, plain parts first. */
    String text() {
        return plainText.isEmpty() ? htmlText : htmlText.isEmpty() ? plainText : plainText + "\n" + htmlText;
    }
}

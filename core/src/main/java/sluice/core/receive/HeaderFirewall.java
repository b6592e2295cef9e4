package sluice.core.receive;

import sluice.core.mail.Headers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Removes Sluice's own organization header fields ({@code X-Sluice-*}) from mail that arrives from an
 * untrusted source, so nobody outside the organization can forge a verdict, an attribution or an
 * "internal" mark that later stages would believe (Exchange calls this the header firewall); and
 * Authentication-Results fields that claim to be ours (RFC 8601 section 5).
 */
final class HeaderFirewall {

    static final String PREFIX = "x-sluice-";

    private HeaderFirewall() {
    }

    /** The content without any X-Sluice-* field in its header (folded continuation lines included). */
    static byte[] strip(byte[] content, String authservId) {
        int headerEnd = Headers.headerLength(content);
        String ours = "authentication-results: " + authservId.toLowerCase(Locale.ROOT);
        if (!containsPrefix(content, headerEnd) && !contains(content, headerEnd, ours)) return content; // nothing to copy
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
        boolean dropping = false;
        int lineStart = 0;
        while (lineStart < headerEnd) {
            int lineEnd = lineStart;
            while (lineEnd < headerEnd && content[lineEnd] != '\n') lineEnd++;
            lineEnd = Math.min(lineEnd + 1, headerEnd);
            boolean continuation = content[lineStart] == ' ' || content[lineStart] == '\t';
            if (!continuation) dropping = startsWithPrefix(content, lineStart, lineEnd) || claimsToBe(content, lineStart, lineEnd, authservId);
            if (!dropping) out.write(content, lineStart, lineEnd - lineStart);
            lineStart = lineEnd;
        }
        out.write(content, headerEnd, content.length - headerEnd);
        return out.toByteArray();
    }

    private static boolean containsPrefix(byte[] content, int headerEnd) {
        String head = new String(content, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return head.startsWith(PREFIX) || head.contains("\n" + PREFIX);
    }

    /** An Authentication-Results field whose authserv-id is ours (before ';' or the end of the line). */
    private static boolean claimsToBe(byte[] content, int from, int to, String authservId) {
        String line = new String(content, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (!line.startsWith("authentication-results:")) return false;
        String rest = line.substring("authentication-results:".length()).strip();
        int end = rest.indexOf(';');
        String id = (end < 0 ? rest : rest.substring(0, end)).strip();
        return id.equals(authservId.toLowerCase(Locale.ROOT));
    }

    private static boolean contains(byte[] content, int headerEnd, String lowerNeedle) {
        return new String(content, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }

    private static boolean startsWithPrefix(byte[] content, int from, int to) {
        if (to - from < PREFIX.length()) return false;
        String s = new String(content, from, PREFIX.length(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return s.equals(PREFIX);
    }
}

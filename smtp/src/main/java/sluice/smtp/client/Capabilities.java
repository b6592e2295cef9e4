package sluice.smtp.client;

import sluice.smtp.Reply;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the server offered in its EHLO reply (RFC 5321 section 4.1.1.1). After a HELO fallback
 * nothing is offered.
 *
 * @param keywords the extension keywords, upper case
 * @param maxSize  the SIZE limit (RFC 1870): -1 when SIZE is not offered, 0 when offered without a limit
 */
public record Capabilities(Set<String> keywords, long maxSize) {

    public static final Capabilities NONE = new Capabilities(Set.of(), -1);

    public Capabilities {
        keywords = Set.copyOf(keywords);
    }

    /** Parses an EHLO reply; the first line is the greeting, each further line one extension. */
    public static Capabilities parse(Reply ehlo) {
        Set<String> keys = new HashSet<>();
        long size = -1;
        for (int i = 1; i < ehlo.lines().size(); i++) {
            String[] words = ehlo.lines().get(i).trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) continue;
            String key = words[0].toUpperCase(Locale.ROOT);
            keys.add(key);
            if (key.equals("SIZE")) size = words.length > 1 ? parseSize(words[1]) : 0;
        }
        return new Capabilities(keys, size);
    }

    private static long parseSize(String s) {
        try {
            return Math.max(0, Long.parseLong(s));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public boolean has(String keyword) { return keywords.contains(keyword.toUpperCase(Locale.ROOT)); }

    public boolean pipelining() { return has("PIPELINING"); }
    public boolean size() { return maxSize >= 0; }
    public boolean eightBitMime() { return has("8BITMIME"); }
    public boolean smtpUtf8() { return has("SMTPUTF8"); }
    public boolean dsn() { return has("DSN"); }
    public boolean startTls() { return has("STARTTLS"); }
    public boolean chunking() { return has("CHUNKING"); }
    public boolean enhancedStatusCodes() { return has("ENHANCEDSTATUSCODES"); }

    /** True when the server announced a limit and {@code bytes} exceeds it. */
    public boolean tooLarge(long bytes) { return maxSize > 0 && bytes > maxSize; }
}

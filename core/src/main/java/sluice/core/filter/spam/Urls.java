package sluice.core.filter.spam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds URLs in text and takes them apart: host, whether the host is an IP address, and the
 * registrable domain. No DNS and no public suffix list (that lives with DMARC): the "registrable
 * domain" here is a cheap approximation — last two labels, three under a two-letter country code
 * with a short second level (co.uk, com.au) — good enough for tokens and for "does the link text
 * name the same site as the link".
 */
final class Urls {

    private static final Pattern URL = Pattern.compile(
            "(?i)\\b(?:(?:https?|ftp)://|www\\.)[^\\s<>\"'()\\[\\]{}|\\\\^`]{2,2000}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern NUMERIC_HOST = Pattern.compile("(?:0x[0-9a-f]+|\\d{8,10})");
    private static final int MAX_URLS = 200;

    private Urls() {
    }

    /** Bare URLs in plain text, as links without anchor text. */
    static List<Link> find(CharSequence text) {
        if (!mayContainUrl(text.toString())) return List.of(); // the regex is costly at every position of a long text
        var found = new ArrayList<Link>();
        Matcher m = URL.matcher(text);
        while (m.find() && found.size() < MAX_URLS) {
            found.add(new Link(trimTrailingPunctuation(m.group()), ""));
        }
        return found;
    }

    /** A URL needs "://" or "www." somewhere; most messages' text has neither. */
    static boolean mayContainUrl(String s) {
        if (s.contains("://")) return true;
        for (int i = s.indexOf('.'); i >= 3; i = s.indexOf('.', i + 1)) {
            if (s.regionMatches(true, i - 3, "www", 0, 3)) return true;
        }
        return false;
    }

    private static String trimTrailingPunctuation(String url) {
        int end = url.length();
        while (end > 0 && ".,;:!?".indexOf(url.charAt(end - 1)) >= 0) {
            end--;
        }
        return url.substring(0, end);
    }

    /**
     * The lower-case host of an http(s)/ftp URL or a "www." reference, without user info, port or
     * trailing dot; null for anything else (mailto:, relative links, fragments).
     */
    static String host(String href) {
        String s = href.strip();
        int scheme = s.indexOf("://");
        if (scheme > 0) {
            String proto = s.substring(0, scheme).toLowerCase(Locale.ROOT);
            if (!proto.equals("http") && !proto.equals("https") && !proto.equals("ftp")) {
                return null;
            }
            s = s.substring(scheme + 3);
        } else if (!s.regionMatches(true, 0, "www.", 0, 4)) {
            return null;
        }
        int end = 0;
        while (end < s.length() && "/?#\\".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        String authority = s.substring(0, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? null : authority.substring(0, close + 1);
        }
        int colon = authority.indexOf(':');
        if (colon >= 0) {
            authority = authority.substring(0, colon);
        }
        while (authority.endsWith(".")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        return authority.isEmpty() ? null : authority.toLowerCase(Locale.ROOT);
    }

    /** The path and query after the host, or "". */
    static String path(String href) {
        int scheme = href.indexOf("://");
        int from = scheme < 0 ? 0 : scheme + 3;
        int slash = href.indexOf('/', from);
        return slash < 0 ? "" : href.substring(slash + 1);
    }

    /** An IPv4 literal, an IPv6 literal, or a decimal/hex encoded address ("http://3627734734/"). */
    static boolean isIpHost(String host) {
        return host.startsWith("[") || IPV4.matcher(host).matches() || NUMERIC_HOST.matcher(host).matches();
    }

    /** Approximate registrable domain: "mail.shop.example.co.uk" → "example.co.uk". */
    static String registrableDomain(String host) {
        if (isIpHost(host)) {
            return host;
        }
        String[] labels = host.split("\\.");
        int n = labels.length;
        if (n <= 2) {
            return host;
        }
        boolean countrySecondLevel = labels[n - 1].length() == 2 && labels[n - 2].length() <= 3;
        int keep = countrySecondLevel ? 3 : 2;
        return String.join(".", java.util.Arrays.copyOfRange(labels, n - keep, n));
    }

    /** The domain of an address like "Name <user@Example.COM>", lower case, or null. */
    static String addressDomain(String value) {
        if (value == null) {
            return null;
        }
        int lt = value.lastIndexOf('<');
        String addr = lt >= 0 ? value.substring(lt + 1) : value;
        int gt = addr.indexOf('>');
        if (gt >= 0) {
            addr = addr.substring(0, gt);
        }
        int at = addr.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String domain = addr.substring(at + 1).strip();
        int stop = 0;
        while (stop < domain.length() && (Character.isLetterOrDigit(domain.charAt(stop)) || ".-".indexOf(domain.charAt(stop)) >= 0)) {
            stop++;
        }
        domain = domain.substring(0, stop).toLowerCase(Locale.ROOT);
        return domain.isEmpty() ? null : domain;
    }
}

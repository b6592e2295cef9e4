package sluice.core.filter.spam;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a parsed message into the set of features the statistical model counts. Each feature is
 * counted once per message (presence, not frequency, as in SpamBayes: a word repeated 50 times is
 * no more evidence than once, and it keeps the chi-square inputs closer to independent).
 *
 * <p>Features: body words (3–12 characters, lower case) and adjacent word pairs ("bi:a b"); long
 * words collapse to a shape ("skip:x 20") because they are mostly noise; e-mail addresses and URLs
 * become their domains and path words; selected headers give prefixed tokens ("subject:free",
 * "from:domain:example.com"), every header name gives a presence token, and each MIME part its
 * type, charset, transfer encoding and file extension.
 */
final class Tokenizer {

    static final int MAX_TOKENS = 10_000;
    private static final Pattern IP = Pattern.compile("\\b(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.\\d{1,3}\\b");
    /** Of a Date field, the end the zone is read from (the training corpus's longest Date has 108 characters). */
    private static final int MAX_DATE = 256;
    private static final Pattern ZONE = Pattern.compile("([+-]\\d{4}|[A-Z]{2,4})\\s*(?:\\(.*\\))?$");
    private static final List<String> WORD_HEADERS = List.of("x-mailer", "user-agent", "x-mimeole", "organization");
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern PATH_SEPARATORS = Pattern.compile("[/?=&.#_\\s-]+");

    private final Set<String> tokens;

    /** @param expected about how many tokens the message gives, so the set is not grown step by step */
    private Tokenizer(int expected) {
        tokens = LinkedHashSet.newLinkedHashSet(Math.min(expected, MAX_TOKENS));
    }

    static Set<String> tokenize(ParsedMessage m) {
        // a body word and its pair with the one before for every six or so characters of text, and the headers' tokens
        var t = new Tokenizer(64 + (m.plainText().length() + m.htmlText().length()) / 3);
        t.headers(m);
        t.parts(m);
        t.body(m);
        return t.tokens;
    }

    private void add(String token) {
        if (tokens.size() < MAX_TOKENS) {
            tokens.add(clean(token));
        }
    }

    /** Control characters (a newline inside an href) would break the model's line format. */
    static String clean(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isISOControl(token.charAt(i))) {
                return token.replaceAll("\\p{Cntrl}+", "?");
            }
        }
        return token;
    }

    private void headers(ParsedMessage m) {
        for (ParsedMessage.Header h : m.headers()) {
            add("header:" + h.key());
        }
        String subject = m.header("Subject");
        words(subject == null ? "" : subject, "subject:");
        if (subject == null) {
            add("subject:none");
        }
        address("from", m.header("From"));
        address("reply-to", m.header("Reply-To"));
        address("to", m.header("To"));
        recipientsCount("to", m.header("To"));
        recipientsCount("cc", m.header("Cc"));
        for (String name : WORD_HEADERS) {
            String v = m.header(name);
            if (v != null) {
                words(NOT_LETTER_OR_DIGIT.matcher(v).replaceAll(" "), name + ":");
            }
        }
        String messageId = m.header("Message-ID");
        if (messageId != null) {
            hostTokens("message-id:", Urls.addressDomain(messageId));
        }
        received(m.headers("Received"));
        String date = m.header("Date");
        if (date != null) {
            // the zone is at the end; the pattern is quadratic in what it scans, and no real Date comes near this
            String d = date.strip();
            if (d.length() > MAX_DATE) d = d.substring(d.length() - MAX_DATE);
            Matcher zone = ZONE.matcher(d);
            add(zone.find() ? "date:zone:" + zone.group(1) : "date:zone:none");
        }
    }

    private void address(String prefix, String value) {
        if (value == null) {
            add(prefix + ":none");
            return;
        }
        String domain = Urls.addressDomain(value);
        if (domain == null) {
            add(prefix + ":nodomain");
        } else {
            hostTokens(prefix + ":domain:", domain);
        }
        int lt = value.indexOf('<');
        if (lt > 0) {
            words(value.substring(0, lt).replace("\"", " "), prefix + ":name:");
        } else {
            add(prefix + ":noname");
        }
    }

    private void recipientsCount(String prefix, String value) {
        int count = value == null ? 0 : value.split("@", -1).length - 1;
        add(prefix + ":count:" + Math.min(count, 10));
    }

    private void received(List<String> values) {
        add("received:count:" + Math.min(values.size(), 12));
        for (String r : values.subList(0, Math.min(values.size(), 8))) {
            for (String host : HostNames.in(r)) {
                if (!IP.matcher(host).matches()) {
                    hostTokens("received:", host.toLowerCase(Locale.ROOT));
                }
            }
            Matcher ip = IP.matcher(r);
            while (ip.find()) {
                add("received:ip:" + ip.group(1) + "." + ip.group(2));
                add("received:ip:" + ip.group(1) + "." + ip.group(2) + "." + ip.group(3));
            }
        }
    }

    private void parts(ParsedMessage m) {
        for (ParsedMessage.Part p : m.parts()) {
            add("content-type:" + p.mimeType());
            add("charset:" + p.charset());
            add("encoding:" + p.transferEncoding());
            int dot = p.filename().lastIndexOf('.');
            if (dot >= 0 && p.filename().length() - dot <= 6) {
                add("filename:" + p.filename().substring(dot + 1));
            }
        }
        for (String tag : m.htmlTags()) {
            add("html:" + tag);
        }
        if (m.images() > 0) {
            add("html:images:" + Math.min(m.images(), 10));
        }
    }

    private void body(ParsedMessage m) {
        String text = m.text();
        for (Link link : Urls.find(text)) {
            url(link.href());
        }
        for (Link link : m.links()) {
            url(link.href());
        }
        words(text, "");
    }

    private void url(String href) {
        String host = Urls.host(href);
        if (host == null) {
            if (href.regionMatches(true, 0, "mailto:", 0, 7)) {
                hostTokens("mailto:", Urls.addressDomain(href));
            }
            return;
        }
        add(href.regionMatches(true, 0, "https", 0, 5) ? "proto:https" : "proto:http");
        if (Urls.isIpHost(host)) {
            add("url:ip");
            return;
        }
        hostTokens("url:", host);
        String path = Urls.path(href).toLowerCase(Locale.ROOT);
        int pieces = 0;
        for (String piece : PATH_SEPARATORS.split(path)) {
            if (piece.length() >= 3 && piece.length() <= 20 && pieces++ < 6) {
                add("url-path:" + piece);
            }
        }
    }

    /** "a.b.example.com" → prefix+"example.com", prefix+"b.example.com", prefix+"a.b.example.com". */
    private void hostTokens(String prefix, String host) {
        String[] labels = host == null ? new String[0] : host.split("\\.");
        if (labels.length == 0 || labels[labels.length - 1].isEmpty()) {
            add(prefix + (host == null ? "none" : "malformed"));
            return;
        }
        StringBuilder suffix = new StringBuilder(labels[labels.length - 1]);
        for (int i = labels.length - 2; i >= Math.max(0, labels.length - 4); i--) {
            suffix.insert(0, labels[i] + ".");
            add(prefix + suffix);
        }
        if (labels.length == 1) {
            add(prefix + host);
        }
    }

    /** Word and word-pair tokens of free text, each with the given prefix. */
    private void words(String text, String prefix) {
        String previous = null;
        int n = text.length();
        int i = 0;
        while (i < n && tokens.size() < MAX_TOKENS) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (start == i) {
                break;
            }
            String word = normalize(text, start, i);
            if (word == null) {
                continue;
            }
            if (word.length() > 12) {
                longWord(word, prefix);
                previous = null;
                continue;
            }
            add(prefix.isEmpty() ? word : prefix + word); // "" + word would copy every body word
            if (previous != null) {
                add(prefix + "bi:" + previous + " " + word);
            }
            previous = word;
        }
    }

    private void longWord(String word, String prefix) {
        int at = word.indexOf('@');
        if (at > 0 && at < word.length() - 1) {
            hostTokens(prefix + "email:", Urls.addressDomain(word));
        } else if (!word.contains("://") && !word.startsWith("www.")) {
            add(prefix + "skip:" + word.charAt(0) + " " + word.length() / 10 * 10);
        }
    }

    /** Lower case, surrounding punctuation stripped; null when under 3 characters or a URL. */
    static String normalize(String raw) {
        return normalize(raw, 0, raw.length());
    }

    /** As {@link #normalize(String)} of {@code raw.substring(from, to)}, without copying it first. */
    private static String normalize(String raw, int from, int to) {
        int start = from;
        int end = to;
        while (start < end && isTrimmed(raw.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmed(raw.charAt(end - 1))) {
            end--;
        }
        if (end - start < 3) {
            return null;
        }
        String word = raw.substring(start, end).toLowerCase(Locale.ROOT);
        return word.startsWith("http") && word.contains("://") ? null : word;
    }

    private static boolean isTrimmed(char c) {
        return ".,;:\"'()[]{}<>*?_-=#|`~".indexOf(c) >= 0;
    }
}

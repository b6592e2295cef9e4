package sluice.core.filter.spam;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules on the body: HTML without a text alternative, image-heavy HTML with little text, the
 * obfuscation tricks that defeat word matching (homoglyphs from other scripts, zero-width
 * characters, letters written as numeric entities) and URL tricks (IP hosts, link text naming
 * another site, shorteners that hide the destination).
 */
final class ContentRules {

    private static final int LITTLE_TEXT = 300;
    private static final int MIN_ASCII_ENTITIES = 10;
    private static final Pattern DOMAIN_LIKE = Pattern.compile(
            "(?i)^(?:https?://)?(?:[a-z0-9-]+\\.)+[a-z]{2,}(?:[/:?#].*)?$");
    private static final Set<String> SHORTENERS = Set.of("bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "t.co",
            "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id",
            "v.gd", "tr.im", "snipurl.com");

    private ContentRules() {
    }

    static void evaluate(ParsedMessage m, Consumer<RuleHit> hits) {
        boolean html = m.hasPart("text/html");
        if (html && !m.hasPart("text/plain")) {
            hits.accept(new RuleHit(Rule.HTML_ONLY, "text/html, no text/plain"));
        }
        int letters = letters(m.text());
        if (html && m.images() > 0 && letters < LITTLE_TEXT) {
            hits.accept(new RuleHit(Rule.HTML_IMAGE_LITTLE_TEXT, m.images() + " images, " + letters + " letters"));
        }
        obfuscation(m, hits);
        urls(m, hits);
    }

    private static int letters(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isLetter(text.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private static void obfuscation(ParsedMessage m, Consumer<RuleHit> hits) {
        String text = m.text();
        int zeroWidth = 0;
        int mixedWords = 0;
        boolean latin = false;
        boolean other = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF' || c == '\u00AD') {
                zeroWidth++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                mixedWords += latin && other ? 1 : 0;
                latin = other = false;
            } else if (c < 0x80) {
                latin |= Character.isLetter(c); // an ASCII letter is Latin: no look-up in the script table
            } else if (Character.isLetter(c)) {
                Character.UnicodeScript script = Character.UnicodeScript.of(c);
                latin |= script == Character.UnicodeScript.LATIN;
                other |= script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.GREEK;
            }
        }
        mixedWords += latin && other ? 1 : 0;
        if (mixedWords >= 2) {
            hits.accept(new RuleHit(Rule.MIXED_SCRIPTS, mixedWords + " words"));
        }
        if (zeroWidth >= 2) {
            hits.accept(new RuleHit(Rule.ZERO_WIDTH_CHARS, zeroWidth + " characters"));
        }
        if (m.asciiEntities() >= MIN_ASCII_ENTITIES) {
            hits.accept(new RuleHit(Rule.ENTITY_OBFUSCATION, m.asciiEntities() + " entities"));
        }
    }

    private static void urls(ParsedMessage m, Consumer<RuleHit> hits) {
        String ipHost = null;
        String mismatch = null;
        String shortener = null;
        for (Link link : m.links()) {
            String host = Urls.host(link.href());
            if (host == null) {
                continue;
            }
            if (ipHost == null && Urls.isIpHost(host)) {
                ipHost = host;
            }
            if (shortener == null && SHORTENERS.contains(host.startsWith("www.") ? host.substring(4) : host)) {
                shortener = host;
            }
            if (mismatch == null) {
                mismatch = textMismatch(link.text(), host);
            }
        }
        for (Link link : Urls.find(m.plainText())) {
            String host = Urls.host(link.href());
            if (host != null && ipHost == null && Urls.isIpHost(host)) {
                ipHost = host;
            }
            if (host != null && shortener == null && SHORTENERS.contains(host)) {
                shortener = host;
            }
        }
        if (ipHost != null) {
            hits.accept(new RuleHit(Rule.URL_IP_HOST, ipHost));
        }
        if (mismatch != null) {
            hits.accept(new RuleHit(Rule.URL_TEXT_MISMATCH, mismatch));
        }
        if (shortener != null) {
            hits.accept(new RuleHit(Rule.URL_SHORTENER, shortener));
        }
    }

    /** "text shows paypal.com, link goes to evil.example" when the anchor text is itself a domain. */
    private static String textMismatch(String text, String hrefHost) {
        String shown = text.strip();
        Matcher looksLikeUrl = DOMAIN_LIKE.matcher(shown);
        if (shown.isEmpty() || shown.length() > 200 || !looksLikeUrl.matches()) {
            return null;
        }
        String shownHost = Urls.host(shown.contains("://") ? shown : "http://" + shown);
        if (shownHost == null) {
            return null;
        }
        String a = Urls.registrableDomain(shownHost.toLowerCase(Locale.ROOT));
        String b = Urls.registrableDomain(hrefHost);
        return a.equals(b) ? null : "text shows " + a + ", link goes to " + b;
    }
}

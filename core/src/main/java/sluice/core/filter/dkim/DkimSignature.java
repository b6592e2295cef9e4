package sluice.core.filter.dkim;

import sluice.core.mail.Domain;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed DKIM-Signature field (RFC 6376 section 3.5). Parsing enforces what section 6.1.1 requires
 * before any DNS or cryptography: v=1, the required tags, From among the signed fields, i= within d=.
 *
 * @param length l=, or -1 when the whole body is signed
 * @param timestamp t=, or -1
 * @param expiry x=, or -1
 */
record DkimSignature(DkimAlgorithm algorithm, byte[] signature, byte[] bodyHash, Canonicalization headerCanon,
                     Canonicalization bodyCanon, Domain domain, String selector, List<String> signedHeaders,
                     String identity, long length, long timestamp, long expiry, String rawB, MessageText.Field field) {

    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");

    /**
     * More names in h= are refused (permerror): real signers list a few dozen at most, and every name
     * costs hashing work an attacker chooses. Over-signing doubles a list of about 15, so 100 is ample.
     */
    static final int MAX_SIGNED_FIELDS = 100;

    static DkimSignature parse(MessageText.Field field) {
        Map<String, String> tags = TagList.parse(field.value());
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s"))
            if (!tags.containsKey(required)) throw new IllegalArgumentException("missing required tag " + required + "=");
        if (!tags.get("v").equals("1")) throw new IllegalArgumentException("unsupported version v=" + tags.get("v"));
        DkimAlgorithm algorithm = DkimAlgorithm.of(tags.get("a"));
        String[] c = tags.getOrDefault("c", "simple/simple").split("/", -1);
        if (c.length > 2) throw new IllegalArgumentException("bad c=" + tags.get("c"));
        Canonicalization headerCanon = Canonicalization.of(c[0]);
        Canonicalization bodyCanon = c.length == 2 ? Canonicalization.of(c[1]) : Canonicalization.SIMPLE;
        Domain domain = domain(tags.get("d"));
        String selector = tags.get("s");
        if (!isSelector(selector)) throw new IllegalArgumentException("bad selector s=" + selector);
        List<String> signed = Arrays.stream(tags.get("h").split(":")).map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        if (signed.size() > MAX_SIGNED_FIELDS)
            throw new IllegalArgumentException("h= names " + signed.size() + " header fields; at most " + MAX_SIGNED_FIELDS + " are accepted");
        if (!signed.contains("from")) throw new IllegalArgumentException("From is not signed (section 5.4)");
        String identity = tags.getOrDefault("i", "@" + domain.name());
        int at = identity.lastIndexOf('@');
        if (at < 0) throw new IllegalArgumentException("i= is not an identity: " + identity);
        if (!domain(identity.substring(at + 1)).isWithin(domain))
            throw new IllegalArgumentException("i=" + identity + " is not within d=" + domain + " (section 3.5)");
        String q = tags.getOrDefault("q", "dns/txt");
        if (!q.toLowerCase(Locale.ROOT).contains("dns/txt")) throw new IllegalArgumentException("unsupported query method q=" + q);
        long timestamp = number(tags.get("t"), "t");
        long expiry = number(tags.get("x"), "x");
        if (timestamp >= 0 && expiry >= 0 && expiry < timestamp) throw new IllegalArgumentException("x= is before t= (section 3.5)");
        return new DkimSignature(algorithm, base64(tags.get("b"), "b"), base64(tags.get("bh"), "bh"), headerCanon, bodyCanon,
                domain, selector, signed, identity, number(tags.get("l"), "l"), timestamp, expiry, TagList.compact(tags.get("b")), field);
    }

    /**
     * Section 3.1: selector = sub-domain *( "." sub-domain ), with "_" allowed as real selectors use it.
     * A loop, not a regular expression: a repeated group recurses per label, and a hostile s= of
     * thousands of labels overflowed the stack, an Error no caller expects from a header field.
     */
    static boolean isSelector(String s) {
        if (s.isEmpty() || s.charAt(0) == '.' || s.charAt(s.length() - 1) == '.') return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.' ? s.charAt(i - 1) == '.' : !(Character.isLetterOrDigit(c) && c < 128) && c != '_' && c != '-') return false;
        }
        return true;
    }

    private static Domain domain(String s) {
        try {
            return new Domain(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad domain d=" + s);
        }
    }

    private static long number(String s, String tag) {
        if (s == null) return -1;
        if (!NUMBER.matcher(s).matches()) throw new IllegalArgumentException("bad " + tag + "=" + s);
        return Long.parseLong(s);
    }

    static byte[] base64(String value, String tag) {
        try {
            byte[] b = Base64.getDecoder().decode(TagList.compact(value));
            if (b.length == 0) throw new IllegalArgumentException("empty " + tag + "=");
            return b;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in " + tag + "=");
        }
    }

    /** The key record's DNS name: selector._domainkey.domain (section 3.6.2.1). */
    Domain keyName() {
        return new Domain(selector + "._domainkey." + domain.name());
    }

    /** The signature field with the b= value removed, as it enters the header hash (section 3.7). */
    String withoutSignatureValue() {
        String raw = field.raw();
        int colon = raw.indexOf(':');
        StringBuilder out = new StringBuilder(raw.substring(0, colon + 1));
        String[] specs = raw.substring(colon + 1).split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = specs[i];
            int eq = spec.indexOf('=');
            if (eq >= 0 && spec.substring(0, eq).strip().equals("b")) spec = spec.substring(0, eq + 1);
            out.append(spec);
            if (i < specs.length - 1) out.append(';');
        }
        return out.toString();
    }
}

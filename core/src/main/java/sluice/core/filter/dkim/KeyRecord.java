package sluice.core.filter.dkim;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A DKIM key record from DNS (RFC 6376 section 3.6.1): key type, the hash algorithms it allows, its
 * service types and flags. An empty p= means the key was revoked.
 */
record KeyRecord(String keyType, List<String> hashes, List<String> services, boolean testing, boolean strictIdentity, byte[] publicKey) {

    static KeyRecord parse(String txt) {
        Map<String, String> tags = TagList.parse(txt);
        String v = tags.get("v");
        if (v != null && (!v.equals("DKIM1") || !tags.keySet().iterator().next().equals("v")))
            throw new IllegalArgumentException("bad key record version (v=DKIM1 must come first)");
        if (!tags.containsKey("p")) throw new IllegalArgumentException("key record without p=");
        String p = TagList.compact(tags.get("p"));
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in the key record's p=");
        }
        List<String> flags = list(tags.get("t"), ":");
        return new KeyRecord(tags.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT), list(tags.get("h"), ":"),
                list(tags.getOrDefault("s", "*"), ":"), flags.contains("y"), flags.contains("s"), key);
    }

    private static List<String> list(String value, String separator) {
        if (value == null) return List.of();
        return Arrays.stream(value.split(separator)).map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
    }

    boolean revoked() {
        return publicKey.length == 0;
    }

    /** Why this key cannot verify a signature made with {@code algorithm}, or null when it can. */
    String unusableFor(DkimAlgorithm algorithm) {
        if (revoked()) return "key revoked (empty p=)";
        if (!keyType.equals(algorithm.keyType())) return "key type k=" + keyType + " does not fit a=" + algorithm.tag();
        if (!hashes.isEmpty() && !hashes.contains(algorithm.hashTag())) return "key record h= does not allow " + algorithm.hashTag();
        if (!services.contains("*") && !services.contains("email")) return "key record is not for email (s=)";
        return null;
    }

    PublicKey key() {
        return DkimKeys.publicKey(keyType, publicKey);
    }
}

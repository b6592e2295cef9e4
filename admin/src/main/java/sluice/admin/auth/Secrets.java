package sluice.admin.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random secrets (API tokens, session ids, CSRF tokens) and their digests.
 *
 * <p>Why SHA-256 and not Argon2id, as for passwords: these secrets are 256 random bits, not
 * something a person chose. Nobody can guess one from its digest whatever the hash costs, so a slow
 * KDF would only slow every API request down. The digest still matters: a copy of the store (or a
 * heap dump) does not hand out usable tokens or sessions.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {
    }

    /** 32 random bytes, base64url without padding (43 characters), safe in headers, cookies and URLs. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes. */
    public static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Constant-time comparison, so a guessed CSRF token learns nothing from the response time. */
    public static boolean same(String a, String b) {
        if (a == null || b == null) return false;
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}

package sluice.admin.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The bootstrap token from configuration ({@code SLUICE_ADMIN_TOKEN}): whoever holds it is a global
 * administrator. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so neither
 * the content nor the length of the secret leaks through timing.
 */
public final class BootstrapTokenAuthenticator implements TokenAuthenticator {

    /** Short tokens are guessable; 16 characters of a random token are about 96 bits. */
    public static final int MIN_LENGTH = 16;

    /** How the audit and access logs name whoever used it. */
    public static final String NAME = "bootstrap token";

    private final byte[] digest;

    public BootstrapTokenAuthenticator(String token) {
        if (token == null || token.isBlank() || token.length() < MIN_LENGTH)
            throw new IllegalArgumentException("the admin token must be at least " + MIN_LENGTH + " characters");
        this.digest = sha256(token);
    }

    @Override
    public Optional<Caller> authenticate(String token) {
        if (token == null) return Optional.empty();
        return MessageDigest.isEqual(digest, sha256(token)) ? Optional.of(Caller.globalAdmin(NAME)) : Optional.empty();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}

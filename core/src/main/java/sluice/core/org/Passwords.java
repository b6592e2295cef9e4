package sluice.core.org;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Password hashing with Argon2id (RFC 9106), encoded as a PHC string
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded standard base64), the format the
 * reference implementation, libsodium, Dovecot and most libraries read, so hashes survive a change of
 * implementation and can be imported from elsewhere.
 *
 * <p>Parameters travel inside each hash: {@link #verify} uses the stored ones, and
 * {@link #needsRehash} says when a stored hash is weaker than this instance's, so a successful login
 * can upgrade it. Passwords are NFC-normalised before hashing (RFC 8265), so the same password typed on
 * two keyboards verifies.
 *
 * <p>Hashing is deliberately slow (tens of milliseconds) and takes {@code memoryKiB} of heap: callers on
 * a login path bound its concurrency.
 */
public final class Passwords {

    /** OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
    public static final Passwords OWASP = new Passwords(19_456, 2, 1);

    private static final String PREFIX = "$argon2id$v=19$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    // Bounds for parameters read from a stored hash: a corrupt or hostile hash must not make one
    // verification allocate gigabytes or spin for minutes.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;

    public Passwords(int memoryKiB, int iterations, int parallelism) {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) throw new IllegalArgumentException("parallelism out of range");
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) throw new IllegalArgumentException("memory out of range");
        if (iterations < 1 || iterations > MAX_ITERATIONS) throw new IllegalArgumentException("iterations out of range");
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /** A new hash of {@code password} with a fresh random salt. */
    public String hash(String password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKiB, iterations, parallelism, HASH_BYTES);
        return encode(memoryKiB, iterations, parallelism, salt, hash);
    }

    /**
     * True when {@code password} matches {@code encoded}. False (never an exception) for a null or
     * malformed hash, so a mailbox without a usable password simply cannot log in. The comparison of
     * the derived bytes is constant-time.
     */
    public boolean verify(String password, String encoded) {
        if (password == null) return false;
        Parsed p = Parsed.of(encoded);
        if (p == null) return false;
        byte[] actual = derive(password, p.salt, p.memoryKiB, p.iterations, p.parallelism, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /** True when {@code encoded} is not a hash this instance would produce now (weaker or unreadable). */
    public boolean needsRehash(String encoded) {
        Parsed p = Parsed.of(encoded);
        return p == null || p.memoryKiB < memoryKiB || p.iterations < iterations || p.parallelism != parallelism
                || p.salt.length < SALT_BYTES || p.hash.length < HASH_BYTES;
    }

    static byte[] derive(String password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        byte[] secret = Normalizer.normalize(password, Normalizer.Form.NFC).getBytes(StandardCharsets.UTF_8);
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(memoryKiB)
                    .withIterations(iterations)
                    .withParallelism(parallelism)
                    .withSalt(salt)
                    .build());
            byte[] out = new byte[length];
            generator.generateBytes(secret, out);
            return out;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    static String encode(int m, int t, int p, byte[] salt, byte[] hash) {
        return PREFIX + "m=" + m + ",t=" + t + ",p=" + p + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    private record Parsed(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {

        /** The parsed hash, or null when it is not a well-formed, sanely bounded Argon2id v19 hash. */
        static Parsed of(String encoded) {
            if (encoded == null || !encoded.startsWith(PREFIX)) return null;
            String[] parts = encoded.substring(PREFIX.length()).split("\\$", -1);
            if (parts.length != 3) return null;
            try {
                int m = -1, t = -1, p = -1;
                for (String kv : parts[0].split(",", -1)) {
                    int eq = kv.indexOf('=');
                    if (eq < 0) return null;
                    int value = Integer.parseInt(kv.substring(eq + 1));
                    switch (kv.substring(0, eq)) {
                        case "m" -> m = value;
                        case "t" -> t = value;
                        case "p" -> p = value;
                        default -> { return null; }
                    }
                }
                byte[] salt = B64D.decode(parts[1]);
                byte[] hash = B64D.decode(parts[2]);
                if (p < 1 || p > MAX_PARALLELISM || m < 8 * p || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS
                        || salt.length < 8 || hash.length < 16 || hash.length > 64) return null;
                return new Parsed(m, t, p, salt, hash);
            } catch (IllegalArgumentException e) { // NumberFormatException and bad base64 alike
                return null;
            }
        }
    }
}

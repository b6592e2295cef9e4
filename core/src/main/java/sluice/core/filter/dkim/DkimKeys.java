package sluice.core.filter.dkim;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * DKIM keys: generation (RSA-2048, Ed25519), PKCS#8 PEM storage, and the DNS TXT record to publish
 * (RFC 6376 section 3.6.1; RFC 8463 section 4: an Ed25519 p= is the bare 32-octet key).
 */
public final class DkimKeys {

    public enum KeyType { RSA_2048, ED25519 }

    /** The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows it. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** AlgorithmIdentifier rsaEncryption with NULL parameters. */
    private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private DkimKeys() {
    }

    public static KeyPair generate(KeyType type) {
        try {
            if (type == KeyType.ED25519) return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + type + " keys", e);
        }
    }

    /** The private key as PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
    public static String toPem(PrivateKey key) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        return PEM_BEGIN + "\n" + b64 + "\n" + PEM_END + "\n";
    }

    /** Reads a PKCS#8 PEM private key (RSA or Ed25519); a clear {@link IllegalArgumentException} otherwise. */
    public static PrivateKey fromPem(String pem) {
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin)
            throw new IllegalArgumentException("not a PKCS#8 PEM private key: expected '" + PEM_BEGIN + "' ... '" + PEM_END + "'");
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM private key is not valid base64");
        }
        for (String algorithm : new String[]{"RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next type
            }
        }
        throw new IllegalArgumentException("the PEM private key is neither RSA nor Ed25519");
    }

    /** The algorithm a key signs with: rsa-sha256 or ed25519-sha256. */
    public static DkimAlgorithm algorithmFor(Key key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> DkimAlgorithm.RSA_SHA256;
            case "Ed25519", "EdDSA" -> DkimAlgorithm.ED25519_SHA256;
            default -> throw new IllegalArgumentException("DKIM signs with RSA or Ed25519 keys, not " + key.getAlgorithm());
        };
    }

    /** The TXT record to publish at selector._domainkey.domain: "v=DKIM1; k=rsa; p=...". */
    public static String dnsRecord(PublicKey key) {
        DkimAlgorithm algorithm = algorithmFor(key);
        byte[] p = key.getEncoded();
        if (algorithm == DkimAlgorithm.ED25519_SHA256) p = Arrays.copyOfRange(p, p.length - 32, p.length);
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    /** The public key of a key record's k= and decoded p=; {@link IllegalArgumentException} when unusable. */
    static PublicKey publicKey(String keyType, byte[] p) {
        try {
            return switch (keyType) {
                case "ed25519" -> {
                    if (p.length != 32) throw new IllegalArgumentException("an ed25519 p= must be 32 octets, not " + p.length);
                    yield KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI_PREFIX, p)));
                }
                case "rsa" -> rsa(p);
                default -> throw new IllegalArgumentException("unknown key type k=" + keyType);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the key record's p= is not a valid " + keyType + " public key");
        }
    }

    /** SubjectPublicKeyInfo as RFC 6376 says, or a bare PKCS#1 RSAPublicKey as some publish. */
    private static PublicKey rsa(byte[] p) throws GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(p));
        } catch (GeneralSecurityException e) {
            byte[] bitString = der(0x03, concat(new byte[]{0}, p));
            return rsa.generatePublic(new X509EncodedKeySpec(der(0x30, concat(RSA_ALGORITHM_ID, bitString))));
        }
    }

    /** RSA modulus size in bits, or -1 for other keys. */
    static int rsaBits(PublicKey key) {
        return key instanceof RSAKey r ? r.getModulus().bitLength() : -1;
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 128) out.write(n);
        else if (n < 256) { out.write(0x81); out.write(n); }
        else { out.write(0x82); out.write(n >> 8); out.write(n & 0xff); }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package sluice.core.filter.dkim;

import java.util.Locale;

/** Signing algorithms (RFC 6376 section 3.3, RFC 8463 section 3). */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "sha256", "SHA-256", "SHA256withRSA"),
    /** Verified only, and reported as weak: RFC 8301 section 3.1 retires it. */
    RSA_SHA1("rsa-sha1", "rsa", "sha1", "SHA-1", "SHA1withRSA"),
    /** Ed25519 over the SHA-256 hash of the header data (RFC 8463 section 3). */
    ED25519_SHA256("ed25519-sha256", "ed25519", "sha256", "SHA-256", "Ed25519");

    private final String tag;
    private final String keyType;
    private final String hashTag;
    private final String digest;
    private final String jcaSignature;

    DkimAlgorithm(String tag, String keyType, String hashTag, String digest, String jcaSignature) {
        this.tag = tag;
        this.keyType = keyType;
        this.hashTag = hashTag;
        this.digest = digest;
        this.jcaSignature = jcaSignature;
    }

    /** The a= value. */
    public String tag() { return tag; }
    /** The k= value of the key record. */
    public String keyType() { return keyType; }
    String hashTag() { return hashTag; }
    String digest() { return digest; }
    String jcaSignature() { return jcaSignature; }

    public boolean weak() {
        return this == RSA_SHA1;
    }

    static DkimAlgorithm of(String tag) {
        for (DkimAlgorithm a : values()) if (a.tag.equals(tag.toLowerCase(Locale.ROOT))) return a;
        throw new IllegalArgumentException("unsupported algorithm a=" + tag);
    }
}

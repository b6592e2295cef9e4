package sluice.core.filter.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The hash and signature computations shared by signing and verification (RFC 6376 section 3.7). */
final class DkimCrypto {

    private DkimCrypto() {
    }

    static byte[] digest(DkimAlgorithm algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm.digest()).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm.digest(), e);
        }
    }

    /**
     * The header hash input: the fields named in h=, each taken from the bottom up (a name listed
     * twice takes the last and then the one before; a name with no field left adds nothing,
     * section 5.4.2), then the signature field itself without its trailing CRLF.
     */
    static byte[] headerData(MessageText message, List<String> signed, Canonicalization canon, String signatureField) {
        StringBuilder data = new StringBuilder();
        Map<String, Integer> used = new HashMap<>();
        for (String name : signed) {
            List<MessageText.Field> fields = message.all(name);
            int taken = used.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
            int index = fields.size() - taken;
            if (index >= 0) data.append(canon.header(fields.get(index).raw()));
        }
        String own = canon.header(signatureField);
        data.append(own, 0, own.length() - 2);
        return data.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** RSA signs the data itself; Ed25519 signs its SHA-256 hash (RFC 8463 section 3). */
    static byte[] sign(DkimAlgorithm algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm.jcaSignature());
        s.initSign(key);
        s.update(input(algorithm, data));
        return s.sign();
    }

    static boolean verify(DkimAlgorithm algorithm, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm.jcaSignature());
        s.initVerify(key);
        s.update(input(algorithm, data));
        return s.verify(signature);
    }

    private static byte[] input(DkimAlgorithm algorithm, byte[] data) {
        return algorithm == DkimAlgorithm.ED25519_SHA256 ? digest(algorithm, data) : data;
    }
}

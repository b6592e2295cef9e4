package sluice.core.filter.dkim;

import sluice.core.mail.Domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Signs outbound mail for one domain and selector (RFC 6376 section 5), relaxed/relaxed, with
 * rsa-sha256 or ed25519-sha256 as the key dictates. Every field of {@link #SIGNED_HEADERS} is signed
 * once more than it occurs (section 5.4.2, "over-signing"), so a From, Subject or Content-Type added
 * later, above ours where a reader looks first, breaks the signature (section 8.15).
 *
 * <pre>{@code
 * KeyPair keys = DkimKeys.generate(DkimKeys.KeyType.ED25519);
 * DkimSigner signer = new DkimSigner(Domain.of("example.org"), "s1", keys.getPrivate(), InstantSource.system(), Duration.ZERO);
 * if (signer.sign(content) instanceof SignResult.Signed s) send(s.content());
 * }</pre>
 */
public final class DkimSigner {

    /**
     * Signed, each once more than present (section 5.4.1 recommends these; From is required). Mailing
     * lists that add a Reply-To or rewrite the Subject break the signature, as they should: what the
     * reader sees is no longer what we signed.
     */
    public static final List<String> SIGNED_HEADERS = List.of("from", "to", "cc", "subject", "date", "message-id",
            "mime-version", "content-type", "content-transfer-encoding", "reply-to", "in-reply-to", "references");

    /**
     * Names per field in h=: 12 fields of 8 stay under the 100 names a verifier takes. A message with more
     * instances of one field than that (8 To fields) is signed all the same; verifiers then report the
     * unsigned extra instance, rightly.
     */
    static final int MAX_PER_FIELD = 8;

    private final Domain domain;
    private final String selector;
    private final PrivateKey key;
    private final DkimAlgorithm algorithm;
    private final InstantSource clock;
    private final Duration validity;

    /** @param validity how long the signature stays valid (x=); zero for no expiry */
    public DkimSigner(Domain domain, String selector, PrivateKey key, InstantSource clock, Duration validity) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.selector = Objects.requireNonNull(selector, "selector");
        if (!DkimSignature.isSelector(selector)) throw new IllegalArgumentException("bad DKIM selector '" + selector + "'");
        this.key = Objects.requireNonNull(key, "key");
        this.algorithm = DkimKeys.algorithmFor(key);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validity = Objects.requireNonNull(validity, "validity");
    }

    public SignResult sign(byte[] content) {
        String bare = bareLineBreak(content);
        if (bare != null) return new SignResult.Refused(bare);
        MessageText message = MessageText.parse(content);
        int froms = message.all("from").size();
        if (froms != 1) return new SignResult.Refused("the message has " + froms + " From fields; DKIM signs exactly one (RFC 6376 section 5.4)");
        List<String> signed = new ArrayList<>();
        // over-signing: the extra name matches no field now, and any field of that name added later
        // (at most MAX_PER_FIELD names each, so h= stays within what verifiers, ours included, take)
        for (String name : SIGNED_HEADERS)
            for (int i = Math.min(message.all(name).size(), MAX_PER_FIELD - 1); i >= 0; i--) signed.add(name);
        byte[] bodyHash = DkimCrypto.digest(algorithm, Canonicalization.RELAXED.body(message.body()));
        long now = clock.instant().getEpochSecond();
        String unsigned = "DKIM-Signature: v=1; a=" + algorithm.tag() + "; c=relaxed/relaxed; d=" + domain.name() + "; s=" + selector + ";\r\n"
                + "\tt=" + now + (validity.isZero() ? "" : "; x=" + (now + validity.toSeconds())) + "; h=" + String.join(":", signed) + ";\r\n"
                + "\tbh=" + Base64.getEncoder().encodeToString(bodyHash) + ";\r\n\tb=";
        byte[] data = DkimCrypto.headerData(message, signed, Canonicalization.RELAXED, unsigned);
        byte[] signature;
        try {
            signature = DkimCrypto.sign(algorithm, key, data);
        } catch (GeneralSecurityException e) {
            return new SignResult.Refused("the signing key does not work: " + e.getMessage());
        }
        String field = unsigned + fold(Base64.getEncoder().encodeToString(signature)) + "\r\n";
        byte[] fieldBytes = field.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[fieldBytes.length + content.length];
        System.arraycopy(fieldBytes, 0, out, 0, fieldBytes.length);
        System.arraycopy(content, 0, out, fieldBytes.length, content.length);
        return new SignResult.Signed(field, out);
    }

    /**
     * A bare CR or LF would be turned into CRLF (or dropped) on its way, and the signature with it
     * (section 5.3: sign the canonical CRLF form); we refuse instead of signing something that breaks.
     */
    private static String bareLineBreak(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r' && (i + 1 >= b.length || b[i + 1] != '\n'))
                return "bare CR at octet " + i + ": DKIM signs CRLF line ends only (RFC 6376 section 5.3)";
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r'))
                return "bare LF at octet " + i + ": DKIM signs CRLF line ends only (RFC 6376 section 5.3)";
        }
        return null;
    }

    /** Breaks the b= value into lines; the folding whitespace is ignored by verifiers (section 3.5). */
    private static String fold(String b64) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b64.length(); i += 72) {
            if (i > 0) s.append("\r\n\t ");
            s.append(b64, i, Math.min(b64.length(), i + 72));
        }
        return s.toString();
    }
}

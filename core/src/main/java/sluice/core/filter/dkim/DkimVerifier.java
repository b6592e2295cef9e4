package sluice.core.filter.dkim;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.dns.Dns;
import sluice.core.trace.Incident;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376 section 6.1; Ed25519 per RFC 8463). Never
 * throws: a broken signature or key record is permerror, a DNS failure temperror, a mismatch fail.
 * Key records come only from the {@link Dns} port.
 *
 * <pre>{@code
 * List<DkimResult> results = new DkimVerifier(dns, InstantSource.system()).verify(content);
 * }</pre>
 */
public final class DkimVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(DkimVerifier.class);

    /** At most this many signatures are verified (each may cost a DNS look-up); the rest are ignored. */
    public static final int MAX_SIGNATURES = 10;
    /** Clock skew tolerated for a t= in the future (section 3.5 lets verifiers choose). */
    static final long ALLOWED_SKEW_SECONDS = 300;
    /** RFC 8301 section 3.2: shorter RSA keys must not be considered valid. */
    static final int MIN_RSA_BITS = 1024;
    /**
     * Fields a reader sees or a mail program acts on, which RFC 5322 section 3.6 and MIME allow once.
     * When h= signs fewer instances than the message has, an unsigned one may be what is shown (RFC
     * 6376 section 8.15): such a signature vouches for nothing the reader sees. Fields that are
     * legitimately added in transit (Received, Authentication-Results) are not in the list.
     */
    static final Set<String> SINGLE_FIELDS = Set.of("from", "sender", "reply-to", "to", "cc", "bcc", "subject", "date",
            "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding");

    private final Dns dns;
    private final InstantSource clock;

    public DkimVerifier(Dns dns, InstantSource clock) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One result per DKIM-Signature field, top first; empty when the message is unsigned. */
    public List<DkimResult> verify(byte[] content) {
        MessageText message = MessageText.parse(content);
        List<DkimResult> results = new ArrayList<>();
        for (MessageText.Field field : message.all("DKIM-Signature")) {
            if (results.size() == MAX_SIGNATURES) break;
            results.add(verifyOne(message, field));
        }
        return List.copyOf(results);
    }

    private DkimResult verifyOne(MessageText message, MessageText.Field field) {
        DkimSignature sig;
        try {
            sig = DkimSignature.parse(field);
        } catch (IllegalArgumentException e) {
            return unparsed(field, e.getMessage());
        }
        try {
            return check(message, sig);
        } catch (IllegalArgumentException e) {
            return result(sig, DkimResult.Code.PERMERROR, List.of(), false, "cannot verify: " + e.getMessage());
        } catch (RuntimeException e) {
            // a defect, not the sender's doing: temporary, and its text stays in the operator's log
            return result(sig, DkimResult.Code.TEMPERROR, List.of(), false, Incident.logged(LOG, "verifying a DKIM signature", e).text());
        }
    }

    private DkimResult check(MessageText message, DkimSignature sig) {
        long now = clock.instant().getEpochSecond();
        if (sig.expiry() >= 0 && sig.expiry() < now)
            return result(sig, DkimResult.Code.PERMERROR, List.of(), false, "signature expired (x=" + sig.expiry() + ")");
        if (sig.timestamp() > now + ALLOWED_SKEW_SECONDS)
            return result(sig, DkimResult.Code.PERMERROR, List.of(), false, "signature timestamp t= is in the future");
        KeyLookup lookup = fetchKey(sig);
        if (lookup.failure != null) return result(sig, lookup.code, List.of(), false, lookup.failure);
        KeyRecord key = lookup.key;
        String unusable = key.unusableFor(sig.algorithm());
        if (unusable != null) return result(sig, DkimResult.Code.PERMERROR, List.of(), key.testing(), unusable);
        if (key.strictIdentity() && !sig.identity().substring(sig.identity().lastIndexOf('@') + 1).equalsIgnoreCase(sig.domain().name()))
            return result(sig, DkimResult.Code.PERMERROR, List.of(), key.testing(), "key record t=s forbids a subdomain in i=");
        PublicKey publicKey = key.key();
        int bits = DkimKeys.rsaBits(publicKey);
        if (bits >= 0 && bits < MIN_RSA_BITS)
            return result(sig, DkimResult.Code.PERMERROR, List.of(), key.testing(), "RSA key of " + bits + " bits is too short (RFC 8301)");
        List<String> risks = new ArrayList<>();
        byte[] body = sig.bodyCanon().body(message.body());
        int wholeBody = body.length;
        if (sig.length() >= 0) {
            if (sig.length() > body.length)
                return result(sig, DkimResult.Code.PERMERROR, risks, key.testing(), "l=" + sig.length() + " is longer than the body");
            body = Arrays.copyOf(body, (int) sig.length());
        }
        if (sig.algorithm().weak()) risks.add("rsa-sha1 is retired by RFC 8301");
        if (key.testing()) risks.add("the key record says t=y (testing)");
        if (!MessageDigest.isEqual(DkimCrypto.digest(sig.algorithm(), body), sig.bodyHash()))
            return result(sig, DkimResult.Code.FAIL, risks, key.testing(), "body hash mismatch: the body was changed");
        byte[] data = DkimCrypto.headerData(message, sig.signedHeaders(), sig.headerCanon(), sig.withoutSignatureValue());
        try {
            if (!DkimCrypto.verify(sig.algorithm(), publicKey, data, sig.signature()))
                return result(sig, DkimResult.Code.FAIL, risks, key.testing(), "signature did not verify: signed header fields were changed");
        } catch (GeneralSecurityException e) {
            return result(sig, DkimResult.Code.FAIL, risks, key.testing(), "signature did not verify: " + e.getMessage());
        }
        String unsigned = unsignedContent(message, sig, wholeBody);
        if (unsigned != null) return result(sig, DkimResult.Code.POLICY, risks, key.testing(), unsigned);
        return result(sig, DkimResult.Code.PASS, risks, key.testing(), "signature verified with " + sig.keyName());
    }

    /**
     * Why a signature that verifies does not cover what the reader sees, or null. Such a signature is
     * dkim=policy (RFC 8601 section 2.7.1: signed, but not acceptable), never a pass DMARC could use:
     * an l= shorter than the body lets anyone append content (RFC 6376 section 8.2), and an extra
     * instance of a field signed fewer times is hashed at the bottom but shown from the top (section 8.15).
     */
    private static String unsignedContent(MessageText message, DkimSignature sig, int wholeBody) {
        if (sig.length() >= 0 && sig.length() < wholeBody)
            return "l=" + sig.length() + " leaves " + (wholeBody - sig.length()) + " body octets unsigned: content may have been appended (RFC 6376 section 8.2)";
        Map<String, Integer> signed = new LinkedHashMap<>(); // h= order, so the reason names the same field each time
        for (String name : sig.signedHeaders()) if (SINGLE_FIELDS.contains(name)) signed.merge(name, 1, Integer::sum);
        for (Map.Entry<String, Integer> e : signed.entrySet()) {
            List<MessageText.Field> present = message.all(e.getKey());
            if (present.size() > e.getValue())
                return "the message has " + present.size() + " " + present.getFirst().name() + " fields but h= signs " + e.getValue()
                        + ": an unsigned one may be what the reader sees (RFC 6376 section 8.15)";
        }
        return null;
    }

    private record KeyLookup(KeyRecord key, DkimResult.Code code, String failure) {
    }

    /** Section 6.1.2: the key record; a DNS failure is temperror, no usable record permerror. */
    private KeyLookup fetchKey(DkimSignature sig) {
        List<String> txt;
        try {
            txt = dns.txt(sig.keyName());
        } catch (Dns.NoSuchDomain e) {
            return new KeyLookup(null, DkimResult.Code.PERMERROR, "no key record at " + sig.keyName());
        } catch (Dns.DnsFailure e) {
            return new KeyLookup(null, DkimResult.Code.TEMPERROR, "DNS failure fetching the key at " + sig.keyName() + ": " + e.getMessage());
        }
        String problem = "no key record at " + sig.keyName();
        for (String record : txt) {
            try {
                return new KeyLookup(KeyRecord.parse(record), null, null);
            } catch (IllegalArgumentException e) {
                problem = "bad key record at " + sig.keyName() + ": " + e.getMessage();
            }
        }
        return new KeyLookup(null, DkimResult.Code.PERMERROR, problem);
    }

    private static DkimResult result(DkimSignature sig, DkimResult.Code code, List<String> risks, boolean testing, String reason) {
        return new DkimResult(code, sig.domain().name(), sig.selector(), sig.algorithm().tag(), prefix(sig.rawB()), sig.identity(),
                sig.algorithm().weak(), testing, risks, reason);
    }

    /** A signature too broken to parse still names what it can, so the header and trace can show it. */
    private static DkimResult unparsed(MessageText.Field field, String reason) {
        Map<String, String> tags;
        try {
            tags = TagList.parse(field.value());
        } catch (IllegalArgumentException e) {
            tags = Map.of();
        }
        return new DkimResult(DkimResult.Code.PERMERROR, tags.getOrDefault("d", ""), tags.getOrDefault("s", ""), tags.getOrDefault("a", ""),
                prefix(TagList.compact(tags.getOrDefault("b", ""))), tags.getOrDefault("i", ""), false, false, List.of(),
                "malformed signature: " + reason);
    }

    private static String prefix(String b) {
        return b.length() <= 8 ? b : b.substring(0, 8);
    }
}

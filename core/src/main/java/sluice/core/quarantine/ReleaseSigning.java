package sluice.core.quarantine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.dns.Dns;
import sluice.core.filter.dkim.DkimKeys;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.dkim.DkimVerifier;
import sluice.core.filter.dkim.DkimSigner;
import sluice.core.filter.dkim.SignResult;
import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.Headers;
import sluice.core.org.DkimSigningKey;
import sluice.core.org.DkimSigningKeys;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The DKIM signature of a held copy of the organization's own mail, renewed at its release. Receiving signs
 * such a copy when it holds it, with the active key of its From domain; during the retention (15 to 30 days)
 * that key may be rotated away, and its selector withdrawn from DNS, or the domain leave the organization.
 * At release the copy is signed afresh with the domain's active key when its topmost signature (ours: made
 * last, below only our own trace fields) does not verify with that key; that old signature is removed first when
 * it verifies with another of the organization's keys still stored. Verifying, not d= and s=, decides: a selector
 * deleted and created again names another key. Only the stored keys of the signature's d= and s= are tried, the
 * message parsed once for each (normally one). Without an active key (the domain left, or no key is
 * enabled) the copy goes as it was held: an old signature whose selector is gone then fails, as an unsigned
 * message would. Another organization's copy of the sender's mail is left as held: it was signed with the
 * sender's organization's key, which its entry does not name.
 */
final class ReleaseSigning {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseSigning.class);
    static final ReleaseSigning NONE = new ReleaseSigning(null, InstantSource.system());

    private final DkimSigningKeys keys;
    private final InstantSource clock;

    ReleaseSigning(DkimSigningKeys keys, InstantSource clock) {
        this.keys = keys;
        this.clock = clock;
    }

    byte[] renewed(QuarantineEntry e, byte[] content) {
        if (keys == null || !e.internal() || e.organizationId() == null) return content;
        Domain author = authorDomain(content);
        if (author == null) return content;
        Optional<DkimSigningKey> active = keys.activeFor(e.organizationId(), author);
        if (active.isEmpty()) return content;
        // whose signature it is, is decided by verifying it with the public key of each stored key its d= and s= name:
        // they alone may name a selector that was deleted and then created again with another key
        Optional<DkimSigningKey> signer = candidates(keys.keys(e.organizationId()), content).stream()
                .filter(k -> verifiesTopmost(k, content)).findFirst();
        DkimSigningKey key = active.get();
        if (signer.isPresent() && signer.get().id().equals(key.id())) return content;
        byte[] unsigned = signer.isPresent() ? withoutFirstSignature(content) : content;
        DkimSigner signing = new DkimSigner(key.domain(), key.selector(), DkimKeys.fromPem(key.privateKeyPem()), clock, Duration.ZERO);
        return switch (signing.sign(unsigned)) {
            case SignResult.Signed signed -> {
                LOG.info("quarantine {}: signed again with the active DKIM key of {} (selector {}) at release", e.id(),
                        author.name(), key.selector());
                yield signed.content();
            }
            case SignResult.Refused refused -> {
                LOG.info("quarantine {}: not DKIM-signed again at release: {}", e.id(), refused.reason());
                yield content;
            }
        };
    }

    private static Domain authorDomain(byte[] content) {
        String from = Headers.first(content, "From");
        if (from == null) return null;
        List<String> addresses = AddressList.addrSpecs(from);
        if (addresses.size() != 1) return null;
        try {
            return Address.parse(addresses.getFirst()).domain();
        } catch (IllegalArgumentException x) {
            return null;
        }
    }

    /**
     * The stored keys the topmost DKIM-Signature may have been made with: those of its d= domain and s= selector
     * (normally one, two when a selector was deleted and created again). No other key can verify it: the verifier
     * asks for the key record under d= and s=, and {@link #verifiesTopmost} answers only for the key's own name.
     */
    static List<DkimSigningKey> candidates(List<DkimSigningKey> stored, byte[] content) {
        String topmost = Headers.first(content, "DKIM-Signature");
        if (topmost == null) return List.of();
        String domain = tag(topmost, "d");
        String selector = tag(topmost, "s");
        if (domain == null || selector == null) return List.of();
        return stored.stream().filter(k -> k.domain().name().equalsIgnoreCase(domain) && k.selector().equalsIgnoreCase(selector)).toList();
    }

    /** The value of tag {@code name} in a DKIM-Signature's tag list (RFC 6376 section 3.2), or null. */
    private static String tag(String tags, String name) {
        for (String spec : tags.split(";")) {
            int eq = spec.indexOf('=');
            if (eq > 0 && spec.substring(0, eq).strip().equals(name)) return spec.substring(eq + 1).replaceAll("[ \t\r\n]", "");
        }
        return null;
    }

    /**
     * Whether the topmost DKIM-Signature verifies with {@code key}'s public key: the verifier asks a resolver that
     * knows only that key's record, under its own selector and domain.
     */
    private boolean verifiesTopmost(DkimSigningKey key, byte[] content) {
        Domain keyName = Domain.of(key.selector() + "._domainkey." + key.domain().name());
        Dns only = new Dns() {
            @Override
            public List<Mx> mx(Domain domain) throws DnsFailure {
                throw new DnsFailure("not asked");
            }

            @Override
            public List<java.net.InetAddress> addresses(Domain host) throws DnsFailure {
                throw new DnsFailure("not asked");
            }

            @Override
            public List<String> txt(Domain name) throws NoSuchDomain {
                if (name.name().equalsIgnoreCase(keyName.name())) return List.of(key.dnsRecord());
                throw new NoSuchDomain(name.name());
            }
        };
        List<DkimResult> results = new DkimVerifier(only, clock).verify(content);
        return !results.isEmpty() && (results.getFirst().code() == DkimResult.Code.PASS || results.getFirst().code() == DkimResult.Code.POLICY);
    }

    /** A DKIM-Signature field, named as the verifier finds it: blanks may stand before the colon. */
    private static boolean isSignature(String field) {
        int colon = field.indexOf(':');
        return colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase("DKIM-Signature");
    }

    private static byte[] withoutFirstSignature(byte[] content) {
        boolean[] dropped = {false};
        return Headers.withoutFields(content, field -> {
            if (dropped[0] || !isSignature(field)) return false;
            dropped[0] = true;
            return true;
        });
    }
}

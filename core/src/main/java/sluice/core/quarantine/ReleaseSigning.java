package sluice.core.quarantine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.dkim.DkimKeys;
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
import java.util.Locale;
import java.util.Optional;

/**
 * The DKIM signature of a held copy of the organization's own mail, renewed at its release. Receiving signs
 * such a copy when it holds it, with the active key of its From domain; during the retention (15 to 30 days)
 * that key may be rotated away, and its selector withdrawn from DNS, or the domain leave the organization.
 * At release the copy is signed afresh with the domain's active key when its topmost signature (ours: made
 * last, below only our own trace fields) is not by that key; that old signature is removed first when it is
 * by one of the organization's keys still stored. Without an active key (the domain left, or no key is
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
        String first = Headers.first(content, "DKIM-Signature");
        String d = first == null ? null : tag(first, "d");
        String s = first == null ? null : tag(first, "s");
        if (author.name().equalsIgnoreCase(d) && active.get().selector().equalsIgnoreCase(s)) return content;
        boolean ours = d != null && s != null && keys.keys(e.organizationId()).stream()
                .anyMatch(k -> k.domain().name().equalsIgnoreCase(d) && k.selector().equalsIgnoreCase(s));
        byte[] unsigned = ours ? withoutFirstSignature(content) : content;
        DkimSigningKey key = active.get();
        DkimSigner signer = new DkimSigner(key.domain(), key.selector(), DkimKeys.fromPem(key.privateKeyPem()), clock, Duration.ZERO);
        return switch (signer.sign(unsigned)) {
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

    /** The value of tag {@code name} in a DKIM-Signature value (RFC 6376 section 3.2 tag-list), or null. */
    private static String tag(String value, String name) {
        for (String t : value.split(";")) {
            int eq = t.indexOf('=');
            if (eq > 0 && t.substring(0, eq).strip().equals(name)) return t.substring(eq + 1).replaceAll("\\s", "");
        }
        return null;
    }

    private static byte[] withoutFirstSignature(byte[] content) {
        boolean[] dropped = {false};
        return Headers.withoutFields(content, field -> {
            if (dropped[0] || !field.toLowerCase(Locale.ROOT).startsWith("dkim-signature:")) return false;
            dropped[0] = true;
            return true;
        });
    }
}

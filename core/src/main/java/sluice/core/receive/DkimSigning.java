package sluice.core.receive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.dkim.DkimKeys;
import sluice.core.filter.dkim.DkimSigner;
import sluice.core.filter.dkim.SignResult;
import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Headers;
import sluice.core.org.DkimSigningKey;
import sluice.core.org.DkimSigningKeys;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the organization's outgoing mail with the active DKIM key of its From domain, once, when it
 * is accepted: retries then resend the same signed octets. Only mail of the organization itself
 * (internal: submission, its own servers) is signed, never mail passing through from outside.
 */
final class DkimSigning {

    private static final Logger LOG = LoggerFactory.getLogger(DkimSigning.class);

    private final DkimSigningKeys keys;
    private final InstantSource clock;
    private final Map<String, DkimSigner> signers = new ConcurrentHashMap<>();

    DkimSigning(DkimSigningKeys keys, InstantSource clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The signed message, or the message as it was when there is no key or it cannot be signed. */
    byte[] sign(String organizationId, byte[] content) {
        String from = Headers.first(content, "From");
        if (from == null || organizationId == null) return content;
        List<String> addresses = AddressList.addrSpecs(from);
        if (addresses.size() != 1) return content;
        Address author;
        try {
            author = Address.parse(addresses.getFirst());
        } catch (IllegalArgumentException e) {
            return content;
        }
        var key = keys.activeFor(organizationId, author.domain());
        if (key.isEmpty()) return content;
        DkimSigner signer = signers.computeIfAbsent(key.get().id(), id -> signer(key.get()));
        return switch (signer.sign(content)) {
            case SignResult.Signed s -> s.content();
            case SignResult.Refused refused -> {
                LOG.info("not DKIM-signing a message from {}: {}", author.domain(), refused.reason());
                yield content;
            }
        };
    }

    private DkimSigner signer(DkimSigningKey k) {
        return new DkimSigner(k.domain(), k.selector(), DkimKeys.fromPem(k.privateKeyPem()), clock, Duration.ZERO);
    }
}

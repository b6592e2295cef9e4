package sluice.core.filter.spoof.dmarc;

import java.util.Locale;
import java.util.Objects;

/**
 * The DMARC outcome for one message (RFC 7489 section 6.6; result names of RFC 8601 section 2.7.4).
 *
 * @param fromDomain   the RFC5322.From domain, or "" when there was not exactly one From address or its domain is
 *                     no domain name (then a FAIL is the policy of the organizational domain of its readable end)
 * @param recordDomain where the policy record was found (the From domain or its organizational domain), or ""
 * @param policy       the published p= (or sp= for a subdomain); NONE without a record
 * @param disposition  what the policy asks for this message: NONE on pass; on fail the policy, or
 *                     the next less strict one when pct= did not select the message
 * @param sampled      false when pct= sampling let this failing message off (section 6.6.4)
 * @param spfAligned   SPF passed for a domain aligned with From
 * @param dkimAligned  a (non rsa-sha1) DKIM signature passed for a domain aligned with From
 * @param shownPolicyUnknown a TEMPERROR for a From with no one domain: the policy of a domain readers show for it could
 *                     not be looked up (a DNS failure, the deadline spent), and it may ask for reject; the message must
 *                     wait, neither delivered (whatever an allow list says) nor refused for good for a transient failure
 */
public record DmarcResult(Code code, String fromDomain, String recordDomain, Disposition policy, Disposition disposition,
                          boolean sampled, boolean spfAligned, boolean dkimAligned, String reason, boolean shownPolicyUnknown) {

    public DmarcResult(Code code, String fromDomain, String recordDomain, Disposition policy, Disposition disposition,
                       boolean sampled, boolean spfAligned, boolean dkimAligned, String reason) {
        this(code, fromDomain, recordDomain, policy, disposition, sampled, spfAligned, dkimAligned, reason, false);
    }

    public enum Code {
        NONE, PASS, FAIL, TEMPERROR, PERMERROR;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DmarcResult {
        Objects.requireNonNull(code, "code");
        fromDomain = Objects.requireNonNullElse(fromDomain, "");
        recordDomain = Objects.requireNonNullElse(recordDomain, "");
        policy = Objects.requireNonNullElse(policy, Disposition.NONE);
        disposition = Objects.requireNonNullElse(disposition, Disposition.NONE);
        reason = Objects.requireNonNullElse(reason, "");
        if (shownPolicyUnknown && code != Code.TEMPERROR) throw new IllegalArgumentException("an unknown policy is a temperror");
    }

    static DmarcResult without(Code code, String fromDomain, String reason) {
        return new DmarcResult(code, fromDomain, "", Disposition.NONE, Disposition.NONE, true, false, false, reason);
    }
}

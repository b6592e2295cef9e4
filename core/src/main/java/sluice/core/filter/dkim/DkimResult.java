package sluice.core.filter.dkim;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of verifying one DKIM signature (RFC 6376 section 6.1; result names of RFC 8601
 * section 2.7.1).
 *
 * @param domain    d=, or "" when the signature could not be parsed that far
 * @param selector  s=, or ""
 * @param algorithm a= as written, or ""
 * @param headerB   the first 8 characters of b= (RFC 6008: tells signatures of one domain apart)
 * @param identity  i= (or "@" + d= by default)
 * @param weak      signed with rsa-sha1, which RFC 8301 retires: report it, do not trust it
 * @param testing   the key record says t=y: the domain is testing DKIM (section 3.6.1)
 * @param risks     things a policy may hold against a pass: rsa-sha1, a testing key. Content the
 *                  signature does not cover (an l= shorter than the body, an unsigned extra From or
 *                  Subject) is no risk but a {@link Code#POLICY} result: it is never a pass
 * @param reason    why, for the trace and the Authentication-Results comment
 */
public record DkimResult(Code code, String domain, String selector, String algorithm, String headerB, String identity,
                         boolean weak, boolean testing, List<String> risks, String reason) {

    public enum Code {
        PASS, FAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DkimResult {
        Objects.requireNonNull(code, "code");
        domain = Objects.requireNonNullElse(domain, "");
        selector = Objects.requireNonNullElse(selector, "");
        algorithm = Objects.requireNonNullElse(algorithm, "");
        headerB = Objects.requireNonNullElse(headerB, "");
        identity = Objects.requireNonNullElse(identity, "");
        risks = List.copyOf(Objects.requireNonNullElse(risks, List.of()));
        reason = Objects.requireNonNullElse(reason, "");
    }

    /**
     * A pass that DMARC and composite authentication may rely on: not rsa-sha1 (RFC 8301 section
     * 3.1). A signature that leaves shown content unsigned is {@link Code#POLICY}, so never strong.
     */
    public boolean strongPass() {
        return code == Code.PASS && !weak;
    }
}

package sluice.core.filter.spoof.spf;

import java.util.Locale;
import java.util.Objects;

/**
 * The outcome of one SPF check (RFC 7208 section 2.6).
 *
 * @param code        the result
 * @param domain      the domain whose policy was evaluated (the MAIL FROM domain, or the HELO name),
 *                    as given; empty when there was none to check
 * @param mechanism   the directive that decided ("-all", "ip4:192.0.2.0/24", "default"), or empty
 * @param explanation for {@link Code#FAIL} only: the domain's explanation (section 6.2) or the
 *                    default one; empty otherwise
 * @param reason      why, for the trace and the Authentication-Results comment
 */
public record SpfResult(Code code, String domain, String mechanism, String explanation, String reason) {

    public enum Code {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        /** The lower-case token of RFC 7208 section 2.6 and RFC 8601 section 2.7.2. */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SpfResult {
        Objects.requireNonNull(code, "code");
        domain = Objects.requireNonNullElse(domain, "");
        mechanism = Objects.requireNonNullElse(mechanism, "");
        explanation = Objects.requireNonNullElse(explanation, "");
        reason = Objects.requireNonNullElse(reason, "");
    }

    static SpfResult of(Code code, String domain, String reason) {
        return new SpfResult(code, domain, "", "", reason);
    }
}

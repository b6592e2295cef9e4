package sluice.core.filter;

import java.util.List;

/**
 * The facts the policy decides on, one record per stage. Stages in subpackages translate their own
 * detailed results into these, so the decision does not depend on how a stage works inside.
 */
public final class Facts {

    private Facts() {
    }

    /** Connection filtering: the organization's IP allow list or block list, or a DNS block list. */
    public record Connection(boolean allowListed, boolean blockListed, String list) implements Fact {
    }

    /**
     * Anti-spoofing: the Authentication-Results value and the DMARC outcome.
     *
     * @param dmarc         pass, fail, none, temperror, permerror
     * @param dmarcPolicy   the policy published for the From domain: none, quarantine, reject (null when none)
     * @param policyApplies false when pct sampling excluded this message
     * @param compauth      EOP's composite authentication: pass, fail, softpass, none
     * @param compauthReason its reason code (000 explicit DMARC fail, 001 nothing passed, 002 no single From, ...)
     * @param spf           the SPF result for MAIL FROM: pass, fail, softfail, neutral, none, temperror, permerror
     */
    public record Authentication(String authenticationResults, String dmarc, String dmarcPolicy, boolean policyApplies,
                                 String compauth, String compauthReason, String spf, String fromDomain) implements Fact {

        /**
         * Failed composite authentication strong enough to act on without sender reputation (which EOP
         * has and we do not): no single From to authenticate, or an SPF hard fail with nothing passing.
         * "Nothing passed for a domain that publishes nothing" alone is only a symbol.
         */
        public boolean spoofed() {
            return "fail".equals(compauth) && ("002".equals(compauthReason) || "fail".equals(spf));
        }
    }

    /** Anti-spam: the spam confidence level (-1 skipped, 0..9) and the category (NONE, SPAM, HIGH_CONFIDENCE_SPAM). */
    public record Spam(int scl, double probability, String category) implements Fact {
        public Spam {
            if (scl < -1 || scl > 9) throw new IllegalArgumentException("SCL out of range: " + scl);
        }
    }

    /** Anti-malware: what was found; {@code scanFailed} when a required scanner could not answer. */
    public record Malware(List<String> detections, boolean scanFailed) implements Fact {
        public Malware {
            detections = List.copyOf(detections);
        }

        public boolean infected() {
            return !detections.isEmpty();
        }
    }
}

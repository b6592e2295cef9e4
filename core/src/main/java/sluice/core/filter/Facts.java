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
     * @param dmarcUnknown  the policy of a domain an unreadable or multi-author From shows could not be looked up for now:
     *                      the message is deferred
     */
    public record Authentication(String authenticationResults, String dmarc, String dmarcPolicy, boolean policyApplies,
                                 String compauth, String compauthReason, String spf, String fromDomain, boolean dmarcUnknown)
            implements Fact {

        public Authentication(String authenticationResults, String dmarc, String dmarcPolicy, boolean policyApplies,
                              String compauth, String compauthReason, String spf, String fromDomain) {
            this(authenticationResults, dmarc, dmarcPolicy, policyApplies, compauth, compauthReason, spf, fromDomain, false);
        }

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

    /**
     * Mail flow rules: the rules that matched, in order, and what they ask of delivery. Later rules
     * override earlier ones for single values (SCL, connector, redirect); header fields, Bcc
     * recipients and subject prefixes add up.
     *
     * @param scl                 the SCL a rule set (-1 bypasses spam filtering), or null
     * @param headers             header fields rules add (setHeader)
     * @param subjectPrefix       the text rules put before the Subject, or null
     * @param redirectTo          the recipients that replace the message's recipients, empty when none
     * @param routeUsingConnector the outbound connector (id) for recipients that are not hosted mailboxes, or null
     * @param stopped             a matching rule said stopProcessingRules
     * @param ending              the rejectMessage, deleteMessage or quarantine of the rule that ended rule
     *                            processing, or null; the decision applies it only after the checks that
     *                            outrank rules (malware, a failed scan, a blocked connection, DMARC and spoofing)
     */
    public record MailFlowRules(List<Hit> hits, Integer scl, List<String> headers, String subjectPrefix,
                                List<String> redirectTo, List<String> addBcc, String routeUsingConnector,
                                boolean stopped, Ending ending) implements Fact {

        public static final MailFlowRules NONE = new MailFlowRules(List.of(), null, List.of(), null, List.of(), List.of(), null, false, null);

        /** These actions without the redirectTo and addBcc addresses {@code drop} says to leave out. */
        public MailFlowRules withoutRecipients(java.util.function.Predicate<String> drop) {
            return new MailFlowRules(hits, scl, headers, subjectPrefix, redirectTo.stream().filter(drop.negate()).toList(),
                    addBcc.stream().filter(drop.negate()).toList(), routeUsingConnector, stopped, ending);
        }

        /**
         * A rule's action that ends the message's way.
         *
         * @param reply the refusal of a REJECT (null otherwise)
         * @param by    the rule, for the trace: {@code mail flow rule 'name' (id)}
         */
        public record Ending(Kind kind, sluice.smtp.Reply reply, String by) {
            public enum Kind { REJECT, DELETE, QUARANTINE }

            public Ending {
                java.util.Objects.requireNonNull(kind, "kind");
                if ((kind == Kind.REJECT) != (reply != null)) throw new IllegalArgumentException("a reply is for a REJECT only");
            }
        }

        /**
         * One matching rule and the actions it took, by EOP name.
         *
         * @param why why it applied although not all its predicates could be evaluated, or null when they were
         */
        public record Hit(String ruleId, String name, List<String> actions, String why) {
            public Hit {
                actions = List.copyOf(actions);
            }

            public Hit(String ruleId, String name, List<String> actions) {
                this(ruleId, name, actions, null);
            }

            /** For the trace: {@code mail flow rule 'name' (id): action, action}, then {@code (why)} if given. */
            public String describe() {
                return "mail flow rule '" + name + "' (" + ruleId + "): " + String.join(", ", actions)
                        + (why == null ? "" : " (" + why + ")");
            }
        }

        public MailFlowRules {
            hits = List.copyOf(hits);
            headers = List.copyOf(headers);
            redirectTo = List.copyOf(redirectTo);
            addBcc = List.copyOf(addBcc);
        }

        /** The header field delivered copies carry: the ids of the rules that matched, in order. */
        public String rulesHeader() {
            return "X-Sluice-Rules: " + String.join(", ", hits.stream().map(Hit::ruleId).toList());
        }
    }
}

package sluice.core.quarantine;

/** Why a message was quarantined, as EOP's quarantine names it. */
public enum QuarantineReason {
    SPAM, HIGH_CONFIDENCE_SPAM, PHISH, MALWARE, POLICY
}

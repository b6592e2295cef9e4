package sluice.core.filter.spoof;

import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.dmarc.DmarcResult;
import sluice.core.filter.spoof.spf.SpfResult;

import java.util.List;
import java.util.Objects;

/**
 * Everything anti-spoofing found about one message. Facts only: the pipeline's policy decides.
 *
 * @param dkim one result per DKIM-Signature, top first; empty when unsigned
 */
public record SpoofResults(SpfResult spf, List<DkimResult> dkim, DmarcResult dmarc, CompositeAuthentication compauth) {

    public SpoofResults {
        Objects.requireNonNull(spf, "spf");
        dkim = List.copyOf(dkim);
        Objects.requireNonNull(dmarc, "dmarc");
        Objects.requireNonNull(compauth, "compauth");
    }
}

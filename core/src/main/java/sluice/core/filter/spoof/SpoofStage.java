package sluice.core.filter.spoof;

import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Stage;
import sluice.core.filter.Symbol;
import sluice.core.filter.Verdict;
import sluice.core.filter.spoof.dmarc.DmarcResult;

import java.util.Locale;
import java.util.Optional;

/**
 * Anti-spoofing as a pipeline stage: SPF, DKIM, DMARC and composite authentication for mail from
 * outside the organization, checked against the originating IP. The result becomes the
 * Authentication-Results field and the facts the policy acts on. Internal mail is not checked.
 */
public final class SpoofStage implements Stage {

    private static final String FIELD = "Authentication-Results: ";

    private final AntiSpoofing checks;
    private final String authservId;

    public SpoofStage(AntiSpoofing checks, String authservId) {
        this.checks = checks;
        this.authservId = authservId;
    }

    @Override
    public String name() {
        return "anti-spoofing";
    }

    @Override
    public Optional<Verdict> inspect(Inspection m, Findings findings) {
        if (m.internal()) return Optional.empty();
        SpoofResults r = checks.check(m.originatingAddress(), m.heloName(), m.mailFrom(), m.asSigned());
        String field = AuthenticationResults.header(authservId, m.originatingAddress().getHostAddress(), r);
        String value = field.substring(FIELD.length()).stripTrailing();
        DmarcResult dmarc = r.dmarc();
        String compauth = r.compauth().result().name().toLowerCase(Locale.ROOT);
        findings.add(new Facts.Authentication(value, dmarc.code().token(),
                dmarc.policy() == null ? null : dmarc.policy().token(), dmarc.sampled(), compauth, r.compauth().reason(),
                r.spf().code().name().toLowerCase(Locale.ROOT), dmarc.fromDomain(), dmarc.shownPolicyUnknown()));
        findings.add(new Symbol("SPF_" + r.spf().code().name(), 0, r.spf().domain()));
        findings.add(new Symbol("DMARC_" + dmarc.code().name(), 0, dmarc.fromDomain()));
        if (r.compauth().result() == CompositeAuthentication.Result.FAIL)
            findings.add(new Symbol("COMPAUTH_FAIL", 3, r.compauth().reason()));
        return Optional.empty();
    }
}

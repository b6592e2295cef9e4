package sluice.core.filter.spoof;

import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.dmarc.Disposition;
import sluice.core.filter.spoof.dmarc.DmarcResult;
import sluice.core.filter.spoof.spf.SpfResult;

import java.util.List;
import java.util.Locale;

/**
 * Composite authentication, after EOP's compauth: one verdict from SPF, DKIM and DMARC together, with
 * a reason code in EOP's families (0xx fail, 1xx pass, 2xx softpass, 3xx none). The codes are ours:
 *
 * <ul>
 *   <li>000 fail: DMARC fails and the domain asks for quarantine or reject (explicit)</li>
 *   <li>001 fail: nothing passed and the domain publishes no enforcing policy (implicit)</li>
 *   <li>002 fail: no single From address, so no domain can be authenticated</li>
 *   <li>100 pass: DMARC passes</li>
 *   <li>101 pass: no DMARC record, but SPF or DKIM passed for a domain aligned with From</li>
 *   <li>200 softpass: no aligned pass, but SPF or DKIM passed for some other domain</li>
 *   <li>301 none: a temporary error left the answer open</li>
 * </ul>
 */
public record CompositeAuthentication(Result result, String reason) {

    public enum Result {
        PASS, FAIL, SOFTPASS, NONE;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static CompositeAuthentication of(SpfResult spf, List<DkimResult> dkim, DmarcResult dmarc) {
        boolean anyPass = spf.code() == SpfResult.Code.PASS || dkim.stream().anyMatch(DkimResult::strongPass);
        return switch (dmarc.code()) {
            case PASS -> new CompositeAuthentication(Result.PASS, "100");
            case FAIL -> dmarc.policy() != Disposition.NONE ? new CompositeAuthentication(Result.FAIL, "000")
                    : anyPass ? new CompositeAuthentication(Result.SOFTPASS, "200") : new CompositeAuthentication(Result.FAIL, "001");
            case PERMERROR -> dmarc.fromDomain().isEmpty() ? new CompositeAuthentication(Result.FAIL, "002")
                    : anyPass ? new CompositeAuthentication(Result.SOFTPASS, "200") : new CompositeAuthentication(Result.FAIL, "001");
            case TEMPERROR -> new CompositeAuthentication(Result.NONE, "301");
            case NONE -> implicit(spf, dkim, dmarc, anyPass);
        };
    }

    private static CompositeAuthentication implicit(SpfResult spf, List<DkimResult> dkim, DmarcResult dmarc, boolean anyPass) {
        if (spf.code() == SpfResult.Code.TEMPERROR || dkim.stream().anyMatch(d -> d.code() == DkimResult.Code.TEMPERROR))
            if (!anyPass) return new CompositeAuthentication(Result.NONE, "301");
        String from = dmarc.fromDomain();
        boolean aligned = (spf.code() == SpfResult.Code.PASS && Relaxed.sameOrganization(spf.domain(), from))
                || dkim.stream().anyMatch(d -> d.strongPass() && Relaxed.sameOrganization(d.domain(), from));
        if (aligned) return new CompositeAuthentication(Result.PASS, "101");
        return anyPass ? new CompositeAuthentication(Result.SOFTPASS, "200") : new CompositeAuthentication(Result.FAIL, "001");
    }
}

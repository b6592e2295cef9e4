package sluice.core.filter.spoof.dmarc;

import sluice.core.dns.Dns;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.spf.SpfResult;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * DMARC (RFC 7489): is the From domain authenticated by an aligned SPF or DKIM pass, and what does
 * its policy ask when not? Never throws; it decides nothing itself: the pipeline's policy acts on
 * {@link DmarcResult#disposition()}.
 *
 * <pre>{@code
 * DmarcResult r = new DmarcEvaluator(dns, PublicSuffixList.bundled(), random).evaluate(content, spf, dkim);
 * }</pre>
 */
public final class DmarcEvaluator {

    private final Dns dns;
    private final PublicSuffixList suffixes;
    private final RandomGenerator random;

    /** @param random decides pct= sampling (section 6.6.4); inject a fixed one in tests */
    public DmarcEvaluator(Dns dns, PublicSuffixList suffixes, RandomGenerator random) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.suffixes = Objects.requireNonNull(suffixes, "suffixes");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param spf  the MAIL FROM result (its domain is the HELO name when MAIL FROM was empty, as
     *             section 3.1.2 prescribes)
     * @param dkim every signature's result
     */
    public DmarcResult evaluate(byte[] content, SpfResult spf, List<DkimResult> dkim) {
        FromDomain.Parsed from = FromDomain.of(content);
        if (from.domain() == null) return from.shown().isEmpty() ? DmarcResult.without(DmarcResult.Code.PERMERROR, "", from.error())
                : unreadable(from, spf, dkim);
        Domain fromDomain = from.domain();
        Domain org = suffixes.organizationalDomain(fromDomain);
        Found found;
        try {
            found = find(fromDomain);
            if (found == null && !org.equals(fromDomain)) found = find(org);
        } catch (Dns.DnsFailure e) {
            return DmarcResult.without(DmarcResult.Code.TEMPERROR, fromDomain.name(), "DNS failure looking up the DMARC record: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return DmarcResult.without(DmarcResult.Code.PERMERROR, fromDomain.name(), "unusable DMARC record: " + e.getMessage());
        }
        if (found == null) return DmarcResult.without(DmarcResult.Code.NONE, fromDomain.name(), "no DMARC record for " + fromDomain + " or " + org);
        DmarcRecord record = found.record;
        boolean spfAligned = spf != null && spf.code() == SpfResult.Code.PASS && aligned(spf.domain(), fromDomain, record.strictSpf());
        boolean dkimAligned = dkim.stream().anyMatch(d -> d.strongPass() && aligned(d.domain(), fromDomain, record.strictDkim()));
        // section 6.6.3: a record found at the organizational domain for a subdomain applies sp=
        Disposition policy = found.domain.equals(fromDomain) ? record.policy() : record.subdomainPolicy();
        if (spfAligned || dkimAligned) {
            String by = spfAligned && dkimAligned ? "SPF and DKIM" : spfAligned ? "SPF" : "DKIM";
            return new DmarcResult(DmarcResult.Code.PASS, fromDomain.name(), found.domain.name(), policy, Disposition.NONE, true,
                    spfAligned, dkimAligned, "aligned " + by + " pass for " + fromDomain);
        }
        boolean sampled = record.percent() >= 100 || random.nextInt(100) < record.percent();
        Disposition disposition = sampled ? policy : policy.relaxed();
        return new DmarcResult(DmarcResult.Code.FAIL, fromDomain.name(), found.domain.name(), policy, disposition, sampled, false, false,
                "no aligned SPF or DKIM pass for " + fromDomain + "; policy " + policy.token()
                        + (sampled ? "" : ", not selected by pct=" + record.percent() + " (section 6.6.4)"));
    }

    /**
     * The one From address is no address Sluice reads ({@code ceo＠bank.example}, {@code ceo@bank.example\u200B},
     * {@code ceo@bank.example@evil.example}, {@code ceo@⒈x.bank.example}): nothing is looked up for it, but readers show
     * it under the domains {@link FromDomain.Parsed#shown} gives. Each is taken as the From domain would be: a whole name
     * as itself (its record, else its organizational domain's sp=), the readable end of a name that is none as a
     * subdomain of it (its organizational domain's sp=). When one of them is not aligned with an SPF or DKIM pass
     * (the record's modes for a whole name, relaxed for a readable end, whose exact name is unknown) and its policy
     * asks for quarantine or reject, the message fails under the strictest such policy; when every one is aligned
     * ({@code news@mail-.bank.example} signed by bank.example), it passes. Else (no record, p=none, DNS failing) the
     * result stays the permerror of a From without a domain, which composite authentication fails (002).
     */
    private DmarcResult unreadable(FromDomain.Parsed from, SpfResult spf, List<DkimResult> dkim) {
        Failing worst = null;
        boolean allAligned = true;
        boolean spfAligned = false;
        boolean dkimAligned = false;
        for (AddressList.Shown shown : from.shown()) {
            Domain d = shown.domain();
            Domain org = suffixes.organizationalDomain(d);
            Found found = null;
            if (!suffixes.publicSuffix(d).equals(d.name())) { // a public suffix has no policy of its own
                try {
                    if (shown.whole()) found = find(d);
                    if (found == null && !(shown.whole() && org.equals(d))) found = find(org);
                } catch (Dns.DnsFailure | IllegalArgumentException e) {
                    found = null; // its policy is unknown: the others still count
                }
            }
            boolean strictSpf = shown.whole() && found != null && found.record.strictSpf();
            boolean strictDkim = shown.whole() && found != null && found.record.strictDkim();
            boolean bySpf = spf != null && spf.code() == SpfResult.Code.PASS && aligned(spf.domain(), d, strictSpf);
            boolean byDkim = dkim.stream().anyMatch(k -> k.strongPass() && aligned(k.domain(), d, strictDkim));
            spfAligned |= bySpf;
            dkimAligned |= byDkim;
            if (bySpf || byDkim) continue;
            allAligned = false;
            if (found == null) continue;
            Disposition policy = shown.whole() && found.domain.equals(d) ? found.record.policy() : found.record.subdomainPolicy();
            if (policy != Disposition.NONE && (worst == null || policy.compareTo(worst.policy) > 0)) worst = new Failing(d, found, policy);
        }
        if (worst != null) {
            DmarcRecord record = worst.found.record;
            boolean sampled = record.percent() >= 100 || random.nextInt(100) < record.percent();
            return new DmarcResult(DmarcResult.Code.FAIL, "", worst.found.domain.name(), worst.policy,
                    sampled ? worst.policy : worst.policy.relaxed(), sampled, false, false,
                    from.error() + "; readers may show it under " + worst.shown + ", whose policy at " + worst.found.domain + " is "
                            + worst.policy.token() + (sampled ? "" : ", not selected by pct=" + record.percent() + " (section 6.6.4)"));
        }
        if (allAligned) {
            String by = spfAligned && dkimAligned ? "SPF and DKIM" : spfAligned ? "SPF" : "DKIM";
            return new DmarcResult(DmarcResult.Code.PASS, "", "", Disposition.NONE, Disposition.NONE, true, spfAligned, dkimAligned,
                    from.error() + "; aligned " + by + " pass for "
                            + String.join(", ", from.shown().stream().map(x -> x.domain().name()).toList()) + ", which readers show");
        }
        return DmarcResult.without(DmarcResult.Code.PERMERROR, "", from.error());
    }

    /** A domain an unreadable From shows, the record found for it and the policy that record asks. */
    private record Failing(Domain shown, Found found, Disposition policy) {
    }

    private record Found(DmarcRecord record, Domain domain) {
    }

    /** The one DMARC record at _dmarc.domain, or null (none, or several: section 6.6.3). */
    private Found find(Domain domain) throws Dns.DnsFailure {
        List<String> txt;
        try {
            txt = dns.txt(new Domain("_dmarc." + domain.name()));
        } catch (Dns.NoSuchDomain e) {
            return null;
        }
        List<String> records = txt.stream().filter(DmarcRecord::isDmarc).toList();
        if (records.size() != 1) return null;
        return new Found(DmarcRecord.parse(records.getFirst()), domain);
    }

    /** Section 3.1: strict is the same name, relaxed the same organizational domain. */
    private boolean aligned(String authenticated, Domain from, boolean strict) {
        Domain d;
        try {
            d = new Domain(authenticated);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return strict ? d.equals(from) : suffixes.organizationalDomain(d).equals(suffixes.organizationalDomain(from));
    }
}

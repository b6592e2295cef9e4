package sluice.core.filter.spoof.dmarc;

import sluice.core.dns.Dns;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.spf.SpfResult;
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
        if (from.domain() == null) return from.readableEnd() == null ? DmarcResult.without(DmarcResult.Code.PERMERROR, "", from.error())
                : unreadable(from);
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
     * The one From address has a domain that is no domain name ({@code ceo@⒈x.bank.example}, {@code ceo@-x.bank.example}):
     * no DNS name, so nothing can pass for it, but readers show it under bank.example. The organizational domain of the
     * labels at its end that are a name applies its sp= as to a failing subdomain, when it asks for quarantine or reject;
     * else (no record, sp=none, DNS failing) the result stays the permerror of a From without a domain, which composite
     * authentication fails (002).
     */
    private DmarcResult unreadable(FromDomain.Parsed from) {
        DmarcResult permerror = DmarcResult.without(DmarcResult.Code.PERMERROR, "", from.error());
        Domain end = from.readableEnd();
        if (suffixes.publicSuffix(end).equals(end.name())) return permerror; // a public suffix has no policy of its own
        Domain org = suffixes.organizationalDomain(end);
        Found found;
        try {
            found = find(org);
        } catch (Dns.DnsFailure | IllegalArgumentException e) {
            return permerror;
        }
        if (found == null || found.record.subdomainPolicy() == Disposition.NONE) return permerror;
        Disposition policy = found.record.subdomainPolicy();
        boolean sampled = found.record.percent() >= 100 || random.nextInt(100) < found.record.percent();
        return new DmarcResult(DmarcResult.Code.FAIL, "", org.name(), policy, sampled ? policy : policy.relaxed(), sampled, false, false,
                from.error() + "; under " + org + ", whose policy for subdomains is " + policy.token()
                        + (sampled ? "" : ", not selected by pct=" + found.record.percent() + " (section 6.6.4)"));
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

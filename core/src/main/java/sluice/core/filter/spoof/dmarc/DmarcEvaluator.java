package sluice.core.filter.spoof.dmarc;

import sluice.core.dns.Dns;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.spf.SpfResult;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.PublicSuffixList;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
        if (from.domain() == null) return from.shown().domains().isEmpty() && !from.shown().truncated()
                ? DmarcResult.without(DmarcResult.Code.PERMERROR, "", from.error()) : unreadable(from, spf, dkim);
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
     * There is no one From address Sluice reads: two From fields or addresses ({@code ceo@bank.example, x@evil.example}),
     * or one it cannot read ({@code ceo＠bank.example}, {@code ceo@bank.example\u200B}, {@code ceo@bank.example@evil.example},
     * {@code ceo@⒈x.bank.example}): there is no From domain, but readers show it under the domains
     * {@link FromDomain.Parsed#shown} gives. Each is taken as the From domain would be: a whole name
     * as itself (its record, else its organizational domain's sp=), the readable end of a name that is none as a
     * subdomain of it (its organizational domain's sp=). When one of them is not aligned with an SPF or DKIM pass
     * (the record's modes for a whole name, relaxed for a readable end, whose exact name is unknown) and its policy
     * asks for quarantine or reject, the message fails under the strictest such policy. Else the result stays the
     * permerror of a From without a domain, which composite authentication fails (002), even when every domain read
     * is aligned: what readers show cannot be read completely (a bidi override, junk after a name, an encoded word no
     * decoder here knows, text past what is read), so alignment with the domains found is no pass. At most
     * {@link #MAX_SHOWN_LOOKUPS} names are looked up, each once: a From of a thousand at signs costs no more queries
     * than SPF's limit, and one that needs more fails with reject (decoys first must not hide the domain shown last). So
     * does one that shows more than is read ({@link AddressList#MAX_SHOWN_CHARS}: bank.example folded in after 16K of
     * decoys; more From fields or domains than {@link FromDomain} reads): the domain not asked may be the one that
     * rejects. When a look-up fails (a SERVFAIL, a name server that never answers, the anti-spoofing deadline spent), the
     * domain may reject too, but legitimate mail of several authors ({@code alice@a.example, bob@b.example}, which
     * RFC 5322 allows) must not be refused for good for a transient failure: unless another domain's reject already
     * applies, the result is a temperror {@link DmarcResult#shownPolicyUnknown}, which the policy defers (4xx), never
     * delivers, whatever an allow list says.
     */
    private DmarcResult unreadable(FromDomain.Parsed from, SpfResult spf, List<DkimResult> dkim) {
        if (from.shown().truncated()) return unasked(from, "it shows more than is read (" + AddressList.MAX_SHOWN_CHARS
                + " characters of unreadable addresses, " + AddressList.MAX_FROM_FIELDS + " From fields, " + FromDomain.MAX_SHOWN_DOMAINS + " domains)");
        Failing worst = null;
        Lookups looked = new Lookups();
        boolean unknownUnaligned = false;
        for (AddressList.Shown shown : from.shown().domains()) {
            Domain d = shown.domain();
            Domain org = suffixes.organizationalDomain(d);
            Found found = null;
            if (!suffixes.publicSuffix(d).equals(d.name())) { // a public suffix has no policy of its own
                if (shown.whole()) found = looked.find(d);
                // the organizational domain's sp= stands in for a name without a record, not for one whose record is unknown
                if (found == null && looked.unasked == null && !looked.failedNames.contains(d) && !(shown.whole() && org.equals(d)))
                    found = looked.find(org);
            }
            // a domain readers show whose policy is unknown may be the one that rejects: none of the others lessens that
            if (looked.unasked != null) return unasked(from, looked.unasked);
            boolean strictSpf = shown.whole() && found != null && found.record.strictSpf();
            boolean strictDkim = shown.whole() && found != null && found.record.strictDkim();
            boolean bySpf = spf != null && spf.code() == SpfResult.Code.PASS && aligned(spf.domain(), d, strictSpf);
            boolean byDkim = dkim.stream().anyMatch(k -> k.strongPass() && aligned(k.domain(), d, strictDkim));
            // a name authenticated exactly is aligned whatever its unknown record says: nothing to wait for
            if (found == null && (looked.failedNames.contains(d) || looked.failedNames.contains(org)) && !exactlyAuthenticated(shown, spf, dkim))
                unknownUnaligned = true;
            if (bySpf || byDkim || found == null) continue;
            Disposition policy = shown.whole() && found.domain.equals(d) ? found.record.policy() : found.record.subdomainPolicy();
            if (policy != Disposition.NONE && (worst == null || policy.compareTo(worst.policy) > 0)) worst = new Failing(d, found, policy);
        }
        DmarcResult failed = null;
        if (worst != null) {
            DmarcRecord record = worst.found.record;
            boolean sampled = record.percent() >= 100 || random.nextInt(100) < record.percent();
            failed = new DmarcResult(DmarcResult.Code.FAIL, "", worst.found.domain.name(), worst.policy,
                    sampled ? worst.policy : worst.policy.relaxed(), sampled, false, false,
                    from.error() + "; readers may show it under " + worst.shown + ", whose policy at " + worst.found.domain + " is "
                            + worst.policy.token() + (sampled ? "" : ", not selected by pct=" + record.percent() + " (section 6.6.4)"));
        }
        // a domain whose look-up failed may ask for reject: only a reject already found makes waiting for it useless
        if (unknownUnaligned && (failed == null || failed.disposition() != Disposition.REJECT))
            return new DmarcResult(DmarcResult.Code.TEMPERROR, "", "", Disposition.NONE, Disposition.NONE, true, false, false,
                    from.error() + "; " + looked.failed + ", so the message waits for it", true);
        return failed != null ? failed : DmarcResult.without(DmarcResult.Code.PERMERROR, "", from.error());
    }

    /** Whether SPF or a strong DKIM signature passed for exactly the name shown (aligned under strict and relaxed alike). */
    private boolean exactlyAuthenticated(AddressList.Shown shown, SpfResult spf, List<DkimResult> dkim) {
        Domain d = shown.domain();
        return shown.whole() && (spf != null && spf.code() == SpfResult.Code.PASS && aligned(spf.domain(), d, true)
                || dkim.stream().anyMatch(k -> k.strongPass() && aligned(k.domain(), d, true)));
    }

    /** How many names an unreadable From may make us look up (SPF allows ten DNS-querying terms). */
    static final int MAX_SHOWN_LOOKUPS = 10;

    /**
     * A From readers show under a domain whose policy was not learnt fails as if that domain asked for reject: it may be
     * the one that does (bank.example's p=reject must not turn into a permerror, which the IP allow list skips, by
     * decoys that use up the look-ups, text past what is read, or a name server that never answers and spends the
     * deadline before it is asked).
     */
    private static DmarcResult unasked(FromDomain.Parsed from, String why) {
        return new DmarcResult(DmarcResult.Code.FAIL, "", "", Disposition.REJECT, Disposition.REJECT, true, false, false,
                from.error() + "; " + why + ", taken as failing");
    }

    /** The DMARC look-ups for one unreadable From: each name once, at most {@link #MAX_SHOWN_LOOKUPS} of them. */
    private final class Lookups {
        private final Map<Domain, Optional<Found>> done = new HashMap<>();
        /** Why the policy of a domain readers show is unknown for good (more names than are looked up), or null. */
        String unasked;
        /** Why the policy of a domain readers show is unknown for now (the first DNS failure), or null. */
        String failed;
        /** The names whose look-up failed. */
        final Set<Domain> failedNames = new HashSet<>();

        /** The record for {@code d}, or null: none, an unusable one (its owner's own error, as for a readable From), or {@link #unasked}. */
        Found find(Domain d) {
            Optional<Found> known = done.get(d);
            if (known != null) return known.orElse(null);
            if (done.size() >= MAX_SHOWN_LOOKUPS) {
                unasked = "it shows more domains than are looked up (" + MAX_SHOWN_LOOKUPS + ")";
                return null;
            }
            Found found = null;
            try {
                found = DmarcEvaluator.this.find(d);
            } catch (Dns.DnsFailure e) {
                if (failed == null) failed = "the DMARC record of " + d + " could not be looked up: " + e.getMessage();
                failedNames.add(d);
            } catch (IllegalArgumentException e) {
                // an unusable record: no policy, as a readable From gets a permerror for it
            }
            done.put(d, Optional.ofNullable(found));
            return found;
        }
    }

    /** A domain an unreadable From shows, the record found for it and the policy that record asks. */
    private record Failing(Domain shown, Found found, Disposition policy) {
    }

    private record Found(DmarcRecord record, Domain domain) {
    }

    /**
     * The one DMARC record at _dmarc.domain, or null (none, or several: section 6.6.3; or no such name, as for a From
     * domain of 247 characters or more, after which the organizational domain is asked as section 6.6.3 says). Throws
     * IllegalArgumentException only for a record that cannot be parsed.
     */
    private Found find(Domain domain) throws Dns.DnsFailure {
        Domain name;
        try {
            name = new Domain("_dmarc." + domain.name());
        } catch (IllegalArgumentException e) {
            return null; // longer than 253 characters: no record can be published there
        }
        List<String> txt;
        try {
            txt = dns.txt(name);
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

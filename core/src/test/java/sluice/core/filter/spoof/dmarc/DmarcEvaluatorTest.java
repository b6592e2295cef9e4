package sluice.core.filter.spoof.dmarc;

import org.junit.jupiter.api.Test;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.MapDns;
import sluice.core.filter.spoof.spf.SpfResult;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.PublicSuffixList;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class DmarcEvaluatorTest {

    static final byte[] MAIL = "From: Alice <alice@mail.example.org>\r\nSubject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A random source whose nextInt(100) always returns {@code value}. */
    static RandomGenerator fixed(int value) {
        return new RandomGenerator() {
            @Override public long nextLong() { return value; }
            @Override public int nextInt(int bound) { return value; }
        };
    }

    static SpfResult spf(SpfResult.Code code, String domain) {
        return new SpfResult(code, domain, "", "", "test");
    }

    static DkimResult dkim(DkimResult.Code code, String domain, boolean weak) {
        return new DkimResult(code, domain, "s1", weak ? "rsa-sha1" : "rsa-sha256", "AAAAAAAA", "@" + domain, weak, false, List.of(), "test");
    }

    final MapDns dns = new MapDns();

    DmarcResult evaluate(byte[] mail, SpfResult spf, List<DkimResult> dkim, int random) {
        return new DmarcEvaluator(dns, PublicSuffixList.bundled(), fixed(random)).evaluate(mail, spf, dkim);
    }

    @Test
    void organizationalDomainsFromThePublicSuffixList() {
        PublicSuffixList psl = PublicSuffixList.bundled();
        assertThat(psl.organizationalDomain(Domain.of("a.b.example.org"))).isEqualTo(Domain.of("example.org"));
        assertThat(psl.organizationalDomain(Domain.of("mail.example.co.uk"))).isEqualTo(Domain.of("example.co.uk"));
        assertThat(psl.organizationalDomain(Domain.of("co.uk"))).isEqualTo(Domain.of("co.uk"));
        assertThat(psl.organizationalDomain(Domain.of("x.y.unknowntld"))).isEqualTo(Domain.of("y.unknowntld"));
        // wildcard and exception rules: *.ck and !www.ck
        assertThat(psl.organizationalDomain(Domain.of("a.b.foo.ck"))).isEqualTo(Domain.of("b.foo.ck"));
        assertThat(psl.organizationalDomain(Domain.of("a.www.ck"))).isEqualTo(Domain.of("www.ck"));
        // private-section suffixes added after 2023 (each customer's subdomain is its own organization)
        assertThat(psl.organizationalDomain(Domain.of("mail.shop.aem.live"))).isEqualTo(Domain.of("shop.aem.live"));
        assertThat(psl.organizationalDomain(Domain.of("x.app.ai.studio"))).isEqualTo(Domain.of("app.ai.studio"));
    }

    @Test
    void relaxedAlignedSpfPasses() {
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject");
        DmarcResult r = evaluate(MAIL, spf(SpfResult.Code.PASS, "bounces.example.org"), List.of(), 0);
        assertThat(r.code()).isEqualTo(DmarcResult.Code.PASS);
        assertThat(r.spfAligned()).isTrue();
        assertThat(r.recordDomain()).isEqualTo("example.org");
        assertThat(r.disposition()).isEqualTo(Disposition.NONE);
    }

    @Test
    void strictSpfAlignmentNeedsTheSameName() {
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject; aspf=s");
        DmarcResult r = evaluate(MAIL, spf(SpfResult.Code.PASS, "bounces.example.org"), List.of(), 0);
        assertThat(r.code()).isEqualTo(DmarcResult.Code.FAIL);
        assertThat(r.disposition()).isEqualTo(Disposition.REJECT);
    }

    @Test
    void alignedDkimPassesButRsaSha1DoesNotCount() {
        dns.txt("_dmarc.mail.example.org", "v=DMARC1; p=quarantine; adkim=s");
        assertThat(evaluate(MAIL, spf(SpfResult.Code.FAIL, "evil.test"), List.of(dkim(DkimResult.Code.PASS, "mail.example.org", false)), 0).code())
                .isEqualTo(DmarcResult.Code.PASS);
        assertThat(evaluate(MAIL, spf(SpfResult.Code.FAIL, "evil.test"), List.of(dkim(DkimResult.Code.PASS, "mail.example.org", true)), 0).code())
                .isEqualTo(DmarcResult.Code.FAIL);
        assertThat(evaluate(MAIL, spf(SpfResult.Code.FAIL, "evil.test"), List.of(dkim(DkimResult.Code.PASS, "example.org", false)), 0).code())
                .as("adkim=s").isEqualTo(DmarcResult.Code.FAIL);
    }

    @Test
    void unalignedPassesFail() {
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject");
        DmarcResult r = evaluate(MAIL, spf(SpfResult.Code.PASS, "sendgrid.net"), List.of(dkim(DkimResult.Code.PASS, "sendgrid.net", false)), 0);
        assertThat(r.code()).isEqualTo(DmarcResult.Code.FAIL);
        assertThat(r.reason()).isEqualTo("no aligned SPF or DKIM pass for mail.example.org; policy reject");
    }

    @Test
    void aSubdomainGetsTheSubdomainPolicyOfTheOrganizationalRecord() {
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject; sp=quarantine");
        DmarcResult r = evaluate(MAIL, spf(SpfResult.Code.NONE, "mail.example.org"), List.of(), 0);
        assertThat(r.policy()).isEqualTo(Disposition.QUARANTINE);
        assertThat(r.disposition()).isEqualTo(Disposition.QUARANTINE);
    }

    @Test
    void pctSamplingRelaxesTheDispositionForUnselectedMessages() {
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject; pct=20");
        DmarcResult selected = evaluate(MAIL, spf(SpfResult.Code.FAIL, "mail.example.org"), List.of(), 19);
        DmarcResult spared = evaluate(MAIL, spf(SpfResult.Code.FAIL, "mail.example.org"), List.of(), 20);
        assertThat(selected).extracting(DmarcResult::disposition, DmarcResult::sampled).containsExactly(Disposition.REJECT, true);
        assertThat(spared).extracting(DmarcResult::disposition, DmarcResult::sampled).containsExactly(Disposition.QUARANTINE, false);
    }

    @Test
    void noRecordIsNone() {
        assertThat(evaluate(MAIL, spf(SpfResult.Code.PASS, "mail.example.org"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::reason)
                .containsExactly(DmarcResult.Code.NONE, "no DMARC record for mail.example.org or example.org");
    }

    @Test
    void twoRecordsAreNoRecord() {
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject").txt("_dmarc.example.org", "v=DMARC1; p=none");
        assertThat(evaluate(MAIL, spf(SpfResult.Code.FAIL, "x.test"), List.of(), 0).code()).isEqualTo(DmarcResult.Code.NONE);
    }

    @Test
    void dnsFailureIsTemperror() {
        dns.fail("_dmarc.mail.example.org");
        assertThat(evaluate(MAIL, spf(SpfResult.Code.PASS, "mail.example.org"), List.of(), 0).code()).isEqualTo(DmarcResult.Code.TEMPERROR);
    }

    @Test
    void recordParsing() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=quarantine; rua=mailto:a@x.test, mailto:b@x.test; pct=50; adkim=s"))
                .isEqualTo(new DmarcRecord(Disposition.QUARANTINE, Disposition.QUARANTINE, 50, true, false, List.of("mailto:a@x.test", "mailto:b@x.test")));
        assertThat(DmarcRecord.parse("v=DMARC1; p=bogus; rua=mailto:a@x.test").policy()).as("section 6.6.3").isEqualTo(Disposition.NONE);
        assertThat(DmarcRecord.isDmarc("v=DMARC1; p=none")).isTrue();
        assertThat(DmarcRecord.isDmarc("v=spf1 -all")).isFalse();
    }

    @Test
    void brokenRecordsArePermerrors() {
        dns.txt("_dmarc.example.org", "v=DMARC1; p=bogus");
        assertThat(evaluate(MAIL, spf(SpfResult.Code.PASS, "mail.example.org"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::reason).containsExactly(DmarcResult.Code.PERMERROR, "unusable DMARC record: p= is invalid: bogus");
        dns.remove("_dmarc.example.org").txt("_dmarc.example.org", "v=DMARC1; p=reject; pct=150");
        assertThat(evaluate(MAIL, spf(SpfResult.Code.PASS, "mail.example.org"), List.of(), 0).code()).isEqualTo(DmarcResult.Code.PERMERROR);
    }

    @Test
    void exactlyOneFromAddressIsRequired() {
        byte[] none = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] two = "From: a@example.org\r\nFrom: b@example.org\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] list = "From: a@example.org, \"Bob, Jr\" <b@example.net>\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] garbage = "From: nobody\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(evaluate(none, spf(SpfResult.Code.PASS, "x.test"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::reason).containsExactly(DmarcResult.Code.PERMERROR, "the message has no From field");
        assertThat(evaluate(two, spf(SpfResult.Code.PASS, "x.test"), List.of(), 0).reason())
                .isEqualTo("the message has 2 From fields (RFC 5322 section 3.6 allows one)");
        assertThat(evaluate(list, spf(SpfResult.Code.PASS, "x.test"), List.of(), 0).reason())
                .isEqualTo("the From field holds 2 addresses; DMARC needs exactly one (RFC 7489 section 6.6.1)");
        assertThat(evaluate(garbage, spf(SpfResult.Code.PASS, "x.test"), List.of(), 0).code()).isEqualTo(DmarcResult.Code.PERMERROR);
    }

    @Test
    void fromAddressForms() {
        assertThat(FromDomain.addresses("\"Smith, Jo\" <jo@example.org> (work)")).containsExactly("jo@example.org");
        assertThat(FromDomain.addresses("jo@example.org")).containsExactly("jo@example.org");
        assertThat(FromDomain.addresses("Jo Smith <jo@example.org>")).containsExactly("jo@example.org");
        assertThat(FromDomain.addresses("undisclosed-recipients:;")).isEmpty();
    }

    static byte[] from(String value) {
        return ("From: " + value + "\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFromThatReadersCouldReadWithAnotherDomainIsAnError() {
        // evil.example publishes a DMARC record and passes SPF: reading its domain here would be a pass for mail that
        // readers stopping at the first "@", or taking the group name or route for the sender, show from bank.example
        dns.txt("_dmarc.evil.example", "v=DMARC1; p=none");
        for (String value : new String[] {"ceo@bank.example@evil.example", "ceo@bank.example(x)@evil.example",
                "ceo@bank.example . me@evil.example", "ceo@bank.example\u200B@evil.example", "ceo\"@bank.example\"@evil.example",
                "ceo@bank.example:me@evil.example", "<@bank.example,ceo@bank.example:me@evil.example>"}) {
            assertThat(FromDomain.of(from(value)).domain()).as(value).isNull();
            assertThat(evaluate(from(value), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0).code()).as(value)
                    .isEqualTo(DmarcResult.Code.PERMERROR);
        }
    }

    @Test
    void displayNamesWithUnicodeSpacesOrAnUnquotedCommaHaveTheirAddress() {
        assertThat(FromDomain.of(from("\u5c71\u7530\u3000\u592a\u90ce <yamada@example.jp>")).domain()).isEqualTo(Domain.of("example.jp"));
        assertThat(FromDomain.of(from("Jean\u2003Dupont <jd@example.fr>")).domain()).isEqualTo(Domain.of("example.fr"));
        assertThat(FromDomain.of(from("Doe, John <john@example.com>")).domain()).isEqualTo(Domain.of("example.com"));
        assertThat(FromDomain.of(from("Jean\u2003jd@example.fr")).error())
                .isEqualTo("the From field holds no single address readers agree on; DMARC needs exactly one (RFC 7489 section 6.6.1)");
    }

    @Test
    void anInternationalDomainIsCheckedAsResolversNameIt() {
        // UTS-46 non-transitional, as today's resolvers and mail clients: straße is not strasse
        assertThat(FromDomain.of(from("ceo@stra\u00dfe.example")).domain()).isEqualTo(Domain.of("xn--strae-oqa.example"));
    }

    @Test
    void aFromThatLooksLikeAnotherAddressOrCannotBeReadIsAnError() {
        dns.txt("_dmarc.evil.example", "v=DMARC1; p=none");
        for (String value : new String[] {
                "=?utf-8?q?ceo=40bank.example?=: ;, me@evil.example", "ceo\uff20bank.example: ;, me@evil.example",
                "ceo\uff20bank.example me@evil.example", "=?utf-8?q?ceo=40bank.example?= me@evil.example",
                "=?utf-8?q?ceo=40bank.example=3E=00?=@evil.example", // an encoded word in the local part
                "x@" + "\uFDFA".repeat(56) + ".example"}) { // 1008 letters after mapping: the IDN code threw a bare RuntimeException
            assertThat(FromDomain.of(from(value)).domain()).as(value).isNull();
            assertThat(evaluate(from(value), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0).code()).as(value)
                    .isEqualTo(DmarcResult.Code.PERMERROR);
        }
    }

    @Test
    void anAsciiSubdomainWithAnALabelNoOneCanDecodeGetsTheSubdomainPolicy() {
        // resolvers look these names up as they stand: they are subdomains of bank.example, whose sp=reject applies
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=reject");
        for (String host : new String[] {"xn--abc", "xn--ab-0ea", "xn--ab-3n4a", "xn--9hb20a", "XN--ABC"}) {
            DmarcResult r = evaluate(from("ceo@" + host + ".bank.example"), spf(SpfResult.Code.FAIL, "evil.example"), List.of(), 0);
            assertThat(r).as(host).extracting(DmarcResult::code, DmarcResult::fromDomain, DmarcResult::disposition)
                    .containsExactly(DmarcResult.Code.FAIL, host.toLowerCase(java.util.Locale.ROOT) + ".bank.example", Disposition.REJECT);
        }
    }

    @Test
    void aFromDomainThatIsNoNameFailsUnderThePolicyOfItsReadableEnd() {
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=quarantine");
        for (String host : new String[] {"-x", "x⒈y", "ß⒈com", "a·b"}) {
            DmarcResult r = evaluate(from("ceo@" + host + ".mail.bank.example"), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0);
            assertThat(r).as(host).extracting(DmarcResult::code, DmarcResult::fromDomain, DmarcResult::recordDomain, DmarcResult::disposition)
                    .containsExactly(DmarcResult.Code.FAIL, "", "bank.example", Disposition.QUARANTINE);
        }
        // pct= sampling as for any failing subdomain
        dns.remove("_dmarc.bank.example").txt("_dmarc.bank.example", "v=DMARC1; p=reject; pct=10");
        assertThat(evaluate(from("ceo@-x.bank.example"), spf(SpfResult.Code.FAIL, "evil.example"), List.of(), 50))
                .extracting(DmarcResult::code, DmarcResult::disposition, DmarcResult::sampled)
                .containsExactly(DmarcResult.Code.FAIL, Disposition.QUARANTINE, false);
    }

    @Test
    void aFromDomainThatIsNoNameStaysAPermerrorWithoutAnEnforcingPolicyAbove() {
        // sp=none, no record, a public suffix alone, nothing readable: the permerror composite authentication fails (002)
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=none");
        for (String value : new String[] {"ceo@-x.bank.example", "ceo@-x.other.example", "ceo@-x.com", "ceo@x.⒈", "ceo@[192.0.2.1]"}) {
            DmarcResult r = evaluate(from(value), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0);
            assertThat(r).as(value).extracting(DmarcResult::code, DmarcResult::fromDomain).containsExactly(DmarcResult.Code.PERMERROR, "");
        }
    }

    @Test
    void aFromReadersShowUnderAnEnforcingDomainFailsUnderItsPolicy() {
        // a look-alike at sign, invisible characters, two at signs: no addr-spec, yet readers show bank.example; an
        // allow-listed IP or an SCL -1 rule skips the permerror's composite failure (002), not bank.example's reject
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=none");
        for (String value : new String[] {"ceo\uFF20bank.example", "ceo\uFE6Bbank.example", "ceo@bank.example\u200F",
                "ceo@bank.example\u200B", "ceo@ba\u200Bnk.example", "ceo@bank.\u00ADexample", "\u202Eceo@bank.example",
                "ceo@bank.example@evil.example", "ceo@evil.example@bank.example", "=?utf-8?q?ceo=40bank.example?=@evil.example"}) {
            DmarcResult r = evaluate(from(value), spf(SpfResult.Code.PASS, "evil.example"), List.of(dkim(DkimResult.Code.PASS, "evil.example", false)), 0);
            assertThat(r).as(value).extracting(DmarcResult::code, DmarcResult::fromDomain, DmarcResult::recordDomain, DmarcResult::disposition)
                    .containsExactly(DmarcResult.Code.FAIL, "", "bank.example", Disposition.REJECT);
        }
        // the strictest of the domains shown applies
        dns.txt("_dmarc.evil.example", "v=DMARC1; p=quarantine");
        assertThat(evaluate(from("ceo@evil.example@bank.example"), spf(SpfResult.Code.FAIL, "x.example"), List.of(), 0).disposition())
                .isEqualTo(Disposition.REJECT);
        // the soft hyphen is no dot: bank\u00ADexample shows bankexample, a name of its own
        assertThat(evaluate(from("ceo@bank\u00ADexample"), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0).code())
                .isEqualTo(DmarcResult.Code.PERMERROR);
    }

    @Test
    void anUnreadableFromAlignedWithWhatItShowsIsNoFailureButNoPass() {
        // DNS allows mail-.bank.example; its mail signed by bank.example is not refused for it, but an unreadable From
        // is never a pass: readers may show more than was read (a review passed bank.example behind a bidi override)
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject");
        for (String value : new String[] {"news@mail-.bank.example", "news@x\u2488y.bank.example", "ceo\uFF20bank.example"}) {
            DmarcResult signed = evaluate(from(value), spf(SpfResult.Code.FAIL, "evil.example"),
                    List.of(dkim(DkimResult.Code.PASS, "bank.example", false)), 0);
            assertThat(signed).as(value).extracting(DmarcResult::code, DmarcResult::disposition)
                    .containsExactly(DmarcResult.Code.PERMERROR, Disposition.NONE);
            DmarcResult bounced = evaluate(from(value), spf(SpfResult.Code.PASS, "bounces.bank.example"), List.of(), 0);
            assertThat(bounced.code()).as(value).isEqualTo(DmarcResult.Code.PERMERROR);
            assertThat(evaluate(from(value), spf(SpfResult.Code.PASS, "evil.example"), List.of(dkim(DkimResult.Code.PASS, "evil.example", false)), 0))
                    .as(value).extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.REJECT);
        }
        // what a review found readers show but the reading misses: no pass with evil.example's own signature
        dns.txt("_dmarc.live.com", "v=DMARC1; p=none");
        for (String value : new String[] {"ceo@\u202Emoc.knab.live.com", "x@evil.example ceo@bank.example!",
                "x@evil.example=?x-unknown?q?=40?=bank.example"})
            assertThat(evaluate(from(value), spf(SpfResult.Code.PASS, "evil.example"),
                    List.of(dkim(DkimResult.Code.PASS, "evil.example", false), dkim(DkimResult.Code.PASS, "live.com", false)), 0).code())
                    .as(value).isNotEqualTo(DmarcResult.Code.PASS);
        // rsa-sha1 does not count, as anywhere
        assertThat(evaluate(from("news@mail-.bank.example"), spf(SpfResult.Code.FAIL, "evil.example"),
                List.of(dkim(DkimResult.Code.PASS, "bank.example", true)), 0).code()).isEqualTo(DmarcResult.Code.FAIL);
        // two domains shown: aligned with one of them is not enough when the other enforces
        dns.txt("_dmarc.evil.example", "v=DMARC1; p=quarantine");
        assertThat(evaluate(from("ceo@bank.example@evil.example"), spf(SpfResult.Code.FAIL, "x.example"),
                List.of(dkim(DkimResult.Code.PASS, "bank.example", false)), 0))
                .extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.QUARANTINE);
        // a Unicode From domain with an ASCII label the Bidi rule refused is a name as DNS sees it: aligned, it passes
        assertThat(evaluate(from("ceo@1a.\u05d0\u05d1.bank.example"), spf(SpfResult.Code.FAIL, "evil.example"),
                List.of(dkim(DkimResult.Code.PASS, "bank.example", false)), 0).code()).isEqualTo(DmarcResult.Code.PASS);
    }

    /** A review made one From of a thousand at signs look up a thousand and one DMARC records. */
    @Test
    void anUnreadableFromLooksUpAFewNamesAtMost() {
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject");
        StringBuilder value = new StringBuilder("x@evil.example");
        for (int i = 0; i < 1000; i++) value.append("@x").append(i).append(".example");
        int before = dns.queries();
        DmarcResult r = evaluate(from(value.toString()), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0);
        assertThat(dns.queries() - before).isLessThanOrEqualTo(DmarcEvaluator.MAX_SHOWN_LOOKUPS);
        assertThat(r).extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.REJECT);
    }

    /** A review hid bank.example's p=reject behind ten decoy domains that used up the lookups (permerror, not fail). */
    @Test
    void decoysThatUseUpTheLookupsDoNotHideTheDomainShownLast() {
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject");
        StringBuilder value = new StringBuilder("ceo");
        for (int i = 0; i < 10; i++) value.append("@a").append(i).append(".example");
        value.append("@bank.example");
        assertThat(evaluate(from(value.toString()), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.REJECT);
        // three decoys leave room to find bank.example itself
        assertThat(evaluate(from("ceo@a0.example@a1.example@a2.example@bank.example"), spf(SpfResult.Code.PASS, "evil.example"),
                List.of(), 0)).extracting(DmarcResult::code, DmarcResult::recordDomain).containsExactly(DmarcResult.Code.FAIL, "bank.example");
    }

    /**
     * A review weakened bank.example's p=reject to permerror with a look-up that failed: a name server that never answers
     * for a decoy spends the deadline, after which every look-up fails, or a transient SERVFAIL alone. A later review found
     * a failing reject for good there refused legitimate mail of several authors for a moment's SERVFAIL: it is a temperror
     * whose policy is unknown, which the message waits for.
     */
    @Test
    void aDomainAnUnreadableFromShowsWhosePolicyCannotBeAskedForNowIsWaitedFor() {
        dns.txt("_dmarc.a.example", "v=DMARC1; p=none").fail("_dmarc.bank.example");
        for (String value : List.of("ceo@a.example@bank.example", "alice@a.example, bob@bank.example",
                "ceo@a.example@x.bank.example")) // the organizational domain of a subdomain shown, asked when it has no record
            assertThat(evaluate(from(value), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0)).as(value)
                    .extracting(DmarcResult::code, DmarcResult::shownPolicyUnknown).containsExactly(DmarcResult.Code.TEMPERROR, true);
        // a reject found for another domain shown applies at once
        dns.remove("_dmarc.a.example").txt("_dmarc.a.example", "v=DMARC1; p=reject");
        assertThat(evaluate(from("alice@a.example, bob@bank.example"), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.REJECT);
        // a readable From whose record cannot be asked stays a plain temperror
        assertThat(evaluate(from("ceo@bank.example"), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::shownPolicyUnknown).containsExactly(DmarcResult.Code.TEMPERROR, false);
    }

    /** A review deferred mail of two authors for a failed look-up of the very domain SPF or DKIM passed for. */
    @Test
    void aDomainWhoseLookUpFailedIsNotWaitedForWhenItIsAuthenticatedExactly() {
        dns.txt("_dmarc.a.example", "v=DMARC1; p=none").fail("_dmarc.b.example");
        byte[] both = from("alice@a.example, bob@b.example");
        assertThat(evaluate(both, spf(SpfResult.Code.PASS, "b.example"), List.of(), 0).shownPolicyUnknown()).isFalse();
        assertThat(evaluate(both, spf(SpfResult.Code.NONE, ""), List.of(dkim(DkimResult.Code.PASS, "b.example", false)), 0)
                .shownPolicyUnknown()).isFalse();
        // authenticated for its organizational domain only: a strict record (unknown) may refuse it, so it waits
        assertThat(evaluate(from("alice@a.example, bob@x.b.example"), spf(SpfResult.Code.PASS, "b.example"), List.of(), 0)
                .shownPolicyUnknown()).isTrue();
        // authenticated for a domain other than the failed one: still waits
        assertThat(evaluate(both, spf(SpfResult.Code.PASS, "a.example"), List.of(), 0).shownPolicyUnknown()).isTrue();
    }

    /** A review folded bank.example past the 16K characters that are read of an unreadable From (permerror, not fail). */
    @Test
    void anUnreadableFromLongerThanIsReadFailsWithReject() {
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject");
        StringBuilder value = new StringBuilder("ceo");
        for (int line = 0; line < 20; line++) value.append("@a.example".repeat(90)).append("\r\n ");
        value.append("@bank.example");
        assertThat(evaluate(from(value.toString()), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.REJECT);
        // nothing readable before the cut
        assertThat(evaluate(from("@".repeat(20_000) + "x@bank.example"), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.REJECT);
    }

    /**
     * A review hid bank.example's p=reject behind a second address or a second From field (permerror without a look-up):
     * readers show bank.example, and section 6.6.1 lets DMARC apply to each domain, so the strictest policy applies.
     */
    @Test
    void severalFromAddressesFailUnderTheStrictestPolicyAmongThem() {
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject").txt("_dmarc.evil.example", "v=DMARC1; p=none");
        byte[] list = from("ceo@bank.example, x@evil.example");
        byte[] fields = "From: x@evil.example\r\nFrom: ceo@bank.example\r\nSubject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] unreadable = from("x@evil.example, ceo\uFF20bank.example");
        for (byte[] mail : List.of(list, fields, unreadable))
            assertThat(evaluate(mail, spf(SpfResult.Code.PASS, "evil.example"), List.of(dkim(DkimResult.Code.PASS, "evil.example", false)), 0))
                    .extracting(DmarcResult::code, DmarcResult::recordDomain, DmarcResult::disposition)
                    .containsExactly(DmarcResult.Code.FAIL, "bank.example", Disposition.REJECT);
        // aligned with every one: no failure, but no pass either
        assertThat(evaluate(list, spf(SpfResult.Code.PASS, "evil.example"), List.of(dkim(DkimResult.Code.PASS, "bank.example", false)), 0).code())
                .isEqualTo(DmarcResult.Code.PERMERROR);
    }

    /** A review hid a second From address after a line of blanks alone, which readers fold in (obsolete syntax). */
    @Test
    void anAddressAfterALineOfBlanksAloneCountsToo() {
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject").txt("_dmarc.evil.example", "v=DMARC1; p=none");
        byte[] mail = "From: x@evil.example\r\n \r\n , ceo@bank.example\r\nSubject: hi\r\n\r\nb\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(evaluate(mail, spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::recordDomain, DmarcResult::disposition)
                .containsExactly(DmarcResult.Code.FAIL, "bank.example", Disposition.REJECT);
    }

    /** A review turned bank.example's sp=reject into a permerror with a From subdomain too long to prefix with _dmarc. */
    @Test
    void aFromDomainTooLongForItsDmarcNameFallsBackToTheOrganizationalDomain() {
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=reject; sp=reject");
        String sub = ("a".repeat(60) + ".").repeat(3) + "a".repeat(56) + ".bank.example";
        assertThat(sub).hasSize(252);
        assertThat(evaluate(from("ceo@" + sub), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::recordDomain, DmarcResult::disposition)
                .containsExactly(DmarcResult.Code.FAIL, "bank.example", Disposition.REJECT);
        // the same subdomain shown by an unreadable From
        assertThat(evaluate(from("x@evil.example, ceo@" + sub), spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::recordDomain, DmarcResult::disposition)
                .containsExactly(DmarcResult.Code.FAIL, "bank.example", Disposition.REJECT);
    }

    /**
     * A review spent minutes of CPU on 80,000 From fields or one of 40,000 addresses, each domain compared with every other
     * before any cap. Now reading stops past {@link AddressList#MAX_FROM_FIELDS} fields or {@link FromDomain#MAX_SHOWN_DOMAINS}
     * domains, and what is not read may show any domain: it fails with reject.
     */
    @Test
    void aFromOfMoreFieldsOrDomainsThanAreReadStopsBeingReadAndFailsWithReject() {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 80_000; i++) fields.append("From: a@d").append(i).append(".example\r\n");
        StringBuilder addresses = new StringBuilder("From: a@d0.example");
        for (int i = 1; i < 40_000; i++) addresses.append(", a@d").append(i).append(".example");
        StringBuilder sameDomain = new StringBuilder();
        for (int i = 0; i <= AddressList.MAX_FROM_FIELDS; i++) sameDomain.append("From: a").append(i).append("@bank.example\r\n");
        for (StringBuilder header : List.of(sameDomain, fields, addresses.append("\r\n"))) {
            byte[] mail = (header + "Subject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
            FromDomain.Parsed parsed = FromDomain.of(mail);
            assertThat(parsed.shown().truncated()).isTrue();
            assertThat(parsed.shown().domains()).hasSizeLessThanOrEqualTo(FromDomain.MAX_SHOWN_DOMAINS + 1);
            assertThat(evaluate(mail, spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                    .extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.REJECT);
        }
        // as many fields as are read, all of one domain: read whole, under that domain's policy
        dns.txt("_dmarc.bank.example", "v=DMARC1; p=quarantine");
        byte[] read = (sameDomain.substring(sameDomain.indexOf("\n") + 1) + "Subject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(FromDomain.of(read).shown()).isEqualTo(new AddressList.ShownDomains(List.of(new AddressList.Shown(Domain.of("bank.example"), true)), false));
        assertThat(evaluate(read, spf(SpfResult.Code.PASS, "evil.example"), List.of(), 0))
                .extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.QUARANTINE);
    }
}

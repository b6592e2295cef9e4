package sluice.core.mail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressListTest {

    /** Each value is one part that is given as no addr-spec: checks refuse it. */
    private static void assertNoAddrSpec(String... values) {
        for (String from : values) {
            assertThat(AddressList.addrSpecs(from)).as(from).hasSize(1)
                    .allSatisfy(a -> assertThat(AddressList.isAddrSpec(a)).as(from + " -> " + a).isFalse());
        }
    }

    @Test
    void aQuotedLocalPartIsOneAddressNotItsLastWord() {
        assertThat(AddressList.addrSpecs("\"john doe\"@example.com")).containsExactly("\"john doe\"@example.com");
        assertThat(AddressList.addrSpecs("Bob <\"john doe\"@example.com>")).containsExactly("\"john doe\"@example.com");
        assertThat(AddressList.addrSpecs("\"a@b\"@example.com")).containsExactly("\"a@b\"@example.com");
    }

    @Test
    void quotesThatChangeNothingAreDropped() {
        assertThat(AddressList.addrSpecs("\"john.doe\"@example.com")).containsExactly("john.doe@example.com");
        assertThat(AddressList.addrSpecs("\"Doe, John\" <john@example.com>, ceo@example.com (<x@y>)"))
                .containsExactly("john@example.com", "ceo@example.com");
    }

    @Test
    void displayWordsWithoutAnglesAreSkippedAndWordsAloneAreNoAddress() {
        assertThat(AddressList.addrSpecs("Alice alice@example.com")).containsExactly("alice@example.com");
        assertThat(AddressList.addrSpecs("\"Alice Q\" alice@example.com")).containsExactly("alice@example.com");
        assertThat(AddressList.addrSpecs("undisclosed recipients:;")).isEmpty();
        assertThat(AddressList.addrSpecs("some words")).isEmpty();
    }

    @Test
    void aQuotedPairIsTheCharacterItEscapes() {
        assertThat(AddressList.addrSpecs("\"a\\d\\m\\i\\n\"@contoso.example")).containsExactly("admin@contoso.example");
        assertThat(AddressList.addrSpecs("\"a\\\"b\"@x.example")).containsExactly("\"a\\\"b\"@x.example");
    }

    @Test
    void blanksBesideADotAreTheObsoleteSyntaxNotADisplayName() {
        assertThat(AddressList.addrSpecs("john. doe@contoso.example")).containsExactly("john.doe@contoso.example");
        assertThat(AddressList.addrSpecs("john .doe@contoso.example")).containsExactly("john.doe@contoso.example");
        assertThat(AddressList.addrSpecs("<john . doe @ contoso.example>")).containsExactly("john.doe@contoso.example");
    }

    @Test
    void aCommaOrSemicolonInsideAngleBracketsIsARouteAndNeverThrows() {
        assertThat(AddressList.addrSpecs("\"Chief Executive\" <ceo@bank.example,>")).containsExactly("ceo@bank.example,");
        assertThat(AddressList.addrSpecs("<@a.example,@b.example:x@y.example>")).containsExactly("x@y.example");
        assertThat(AddressList.isAddrSpec("ceo@bank.example,")).isFalse();
    }

    @Test
    void whatReadersCouldTakeForTwoAddressesOrNoneIsNoAddrSpec() {
        assertNoAddrSpec("<ceo@bank.example> <me@evil.example>", "<me@evil.example> ceo@bank.example",
                "ceo@bank.example me@evil.example", "ceo@bank.example \"me@evil.example\"", "ceo@bank.example\tme@evil.example",
                "ceo@bank.example\u2003me@evil.example", "ceo@bank.example\"@evil.example", "<ceo@bank.example", "ceo@bank.example (x");
        assertThat(AddressList.isAddrSpec("alice@example.com")).isTrue();
        assertThat(AddressList.isAddrSpec("\"john doe\"@example.com")).isTrue();
    }

    @Test
    void quotesAreDroppedOnlyWhereADotAtomRemains() {
        assertThat(AddressList.addrSpecs("me.\"\"@evil.example")).containsExactly("me.\"\"@evil.example");
        assertThat(AddressList.addrSpecs("\".admin\"@x.example")).containsExactly("\".admin\"@x.example");
        assertThat(AddressList.addrSpecs("\"a..b\"@x.example")).containsExactly("\"a..b\"@x.example");
    }

    @Test
    void randomValuesNeverThrowAndWhatPassesAsAnAddrSpecIsOne() {
        java.util.Random r = new java.util.Random(7);
        // single characters, and whole addresses so that many values hold one
        String[] tokens = {"a", "b", "x", "@", ".", "<", ">", ",", ";", ":", "\"", "\\", "(", ")", " ", "\t", "\u2003", "\u3000",
                "\u0085", "\u200b", "a@b.example", "x@y"};
        int addrSpecs = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = r.nextInt(16); i > 0; i--) b.append(tokens[r.nextInt(tokens.length)]);
            String value = b.toString();
            for (String a : AddressList.addrSpecs(value)) {
                assertThat(a).as(value).isNotBlank();
                // what is given as an addr-spec has exactly one unquoted "@", nothing readers could split at,
                // and is the address every caller parses
                if (AddressList.isAddrSpec(a)) {
                    addrSpecs++;
                    String unquoted = a.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "q");
                    assertThat(unquoted.chars().filter(c -> c == '@').count()).as(value).isEqualTo(1);
                    assertThat(unquoted).as(value).doesNotContain("<", ">", ",", " ", "\"");
                    assertThat(Address.parse(a).toString()).as(value).isNotBlank();
                }
            }
        }
        assertThat(addrSpecs).as("the values hold addresses").isGreaterThan(100);
    }

    @Test
    void twoUnquotedAtSignsAreNoAddrSpec() {
        // a reader stopping at the first "@" shows bank.example; the domain after the last one is evil.example
        assertNoAddrSpec("ceo@bank.example@evil.example", "ceo@bank.example(x)@evil.example",
                "ceo@bank.example . me@evil.example", "ceo@bank.example\u200B@evil.example", "ceo\"@bank.example\"@evil.example",
                "<ceo@bank.example@evil.example>", "Bank <ceo@bank.example(x)@evil.example>");
        assertThat(AddressList.isAddrSpec("me.\"\"@evil.example")).as("a quoted string is the whole local part or none of it").isFalse();
        assertThat(AddressList.isAddrSpec("\"a@b\"@example.com")).isTrue();
    }

    @Test
    void aCommentIsABlank() {
        assertThat(AddressList.addrSpecs("john(x).doe@contoso.example")).containsExactly("john.doe@contoso.example");
        assertThat(AddressList.addrSpecs("<alice(x)@contoso.example>")).containsExactly("alice@contoso.example");
    }

    @Test
    void aUnicodeSpaceIsACharacterOfADisplayNameOnly() {
        assertThat(AddressList.addrSpecs("\u5c71\u7530\u3000\u592a\u90ce <yamada@example.jp>")).containsExactly("yamada@example.jp");
        assertThat(AddressList.addrSpecs("Jean\u2003Dupont <jd@example.fr>, \"Jo\u2003Ann\" <jo@example.fr>"))
                .containsExactly("jd@example.fr", "jo@example.fr");
        assertThat(AddressList.addrSpecs("\u00c9quipe\u3000A: jd@example.fr;")).containsExactly("jd@example.fr");
        assertNoAddrSpec("<jd\u2003x@example.fr>", "Jean <jd@example.fr>\u2003x", "jd\u2003x@example.fr",
                "Jean\u2003jd@example.fr", "<jd@example.fr\u00a0>");
    }

    @Test
    void aLineOrControlBlankIsRefusedWhereverItStands() {
        for (char blank : new char[] {'\r', '\n', '\u000B', '\f', '\u001C', '\u001F', '\u0085', '\u2028', '\u2029'}) {
            assertNoAddrSpec("Jean" + blank + "Dupont <jd@example.fr>", "\"Jean" + blank + "\" <jd@example.fr>",
                    "Jean (a" + blank + "b) <jd@example.fr>", "jd@example.fr" + blank, "\"jd" + blank + "\"@example.fr");
        }
    }

    @Test
    void anUnquotedCommaInADisplayNameLeavesWordsThatAreNoAddress() {
        assertThat(AddressList.addrSpecs("Doe, John <john@example.com>")).containsExactly("john@example.com");
        assertThat(AddressList.addrSpecs("Doe , Jr., John <john@example.com>")).containsExactly("john@example.com");
        // words name no mailbox, as a display name names none: DMARC checks evil.example, as readers show it
        assertThat(AddressList.addrSpecs("bank.example, me@evil.example")).containsExactly("me@evil.example");
        // a reader could show these as an address of bank.example: still two parts, so DMARC refuses
        assertThat(AddressList.addrSpecs("=?utf-8?q?ceo=40bank.example?=, me@evil.example")).hasSize(2);
        assertThat(AddressList.addrSpecs("ceo\uff20bank.example, me@evil.example")).hasSize(2);
        assertThat(AddressList.addrSpecs("\"ceo@bank.example\", me@evil.example")).hasSize(2);
    }

    @Test
    void aGroupNameHoldsNoAddressAndARouteOnlyDomains() {
        assertNoAddrSpec("ceo@bank.example:me@evil.example", "ceo@bank.example: me@evil.example;",
                "a>b: me@evil.example;", "<@bank.example,ceo@bank.example:me@evil.example>", "<@bank.example,ceo:me@evil.example>",
                "<ceo@bank.example:me@evil.example>", "<@bank example:me@evil.example>");
        assertThat(AddressList.addrSpecs("\"Team @ HQ\": a@x.example;")).containsExactly("a@x.example");
        assertThat(AddressList.addrSpecs("<@relay.example:a@b.example>")).containsExactly("a@b.example");
        assertThat(AddressList.addrSpecs("<@a.example,,@b.example:x@y.example>")).containsExactly("x@y.example");
        assertThat(AddressList.addrSpecs("<@relay.example:\"a:b\"@y.example>")).as("the ':' of a quoted local part is no route's")
                .containsExactly("\"a:b\"@y.example");
    }

    @Test
    void aLongRunOfBlanksIsReadWhole() {
        assertThat(AddressList.addrSpecs("a" + " ".repeat(200_000) + "b@x.example")).containsExactly("b@x.example");
        assertThat(AddressList.addrSpecs("a" + " ".repeat(200_000) + ". b@x.example")).containsExactly("a.b@x.example");
    }

    @Test
    void aGroupNameOrWordsThatCouldShowAnAddressAreNoDisplayName() {
        // a reader may show the fullwidth or small at sign, or decode the encoded word to ceo@bank.example
        for (String name : new String[] {"=?utf-8?q?ceo=40bank.example?=", "ceo\uff20bank.example", "ceo\ufe6bbank.example"}) {
            assertThat(AddressList.addrSpecs(name + ": ;, me@evil.example")).as(name).hasSize(2);
            assertNoAddrSpec(name + ": me@evil.example;", name + " me@evil.example");
        }
        assertThat(AddressList.addrSpecs("undisclosed-recipients: ;, me@example.org")).containsExactly("me@example.org");
        assertThat(AddressList.addrSpecs("Alice alice@example.org")).containsExactly("alice@example.org");
    }

    @Test
    void aQuotedGroupNameOrWordsAreShownAsTheyStandAndSoIsAnUnclosedEncodedWord() {
        // "=?" alone starts no encoded word, and a quoted one is a display name's, as a quoted at sign is
        assertThat(AddressList.addrSpecs("\"Team =? HQ\": a@contoso.com;")).containsExactly("a@contoso.com");
        assertThat(AddressList.addrSpecs("Team =? HQ: a@contoso.com;")).containsExactly("a@contoso.com");
        assertThat(AddressList.addrSpecs("\"=?utf-8?q?Team?=\": a@contoso.com;")).containsExactly("a@contoso.com");
        assertThat(AddressList.addrSpecs("\"Sales =? HQ\" a@contoso.com")).containsExactly("a@contoso.com");
        // outside quotes, or cut by one, it is still an encoded word
        assertNoAddrSpec("=?utf-8?q?Team?=: a@contoso.com;", "=?utf-8?q?T\"ea\"m?=: a@contoso.com;", "=?utf-8?q?CEO?= a@contoso.com");
    }

    @Test
    void anEncodedWordInAnAddrSpecMakesItNone() {
        // RFC 2047 section 5: none may stand in an addr-spec, yet some readers decode one there
        for (String a : new String[] {"=?utf-8?q?ceo=40bank.example=3E=00?=@evil.example", "\"=?utf-8?q?ceo=40bank.example?=\"@evil.example",
                "a.=?utf-8?b?Y2VvQGJhbmsuZXhhbXBsZQ==?=@evil.example"}) {
            assertThat(AddressList.isAddrSpec(a)).as(a).isFalse();
        }
        assertThat(AddressList.isAddrSpec("a=b?c@example.org")).as("= and ? are atext").isTrue();
        assertThat(AddressList.isAddrSpec("a=?b@example.org")).as("no end of an encoded word").isTrue();
    }

    @Test
    void theDomainsReadersShowForAnAddressSluiceCannotRead() {
        var bank = new AddressList.Shown(Domain.of("bank.example"), true);
        var evil = new AddressList.Shown(Domain.of("evil.example"), true);
        assertThat(AddressList.shownDomains("ceo@bank.example@evil.example").domains()).as("the first at sign and the last").containsExactly(bank, evil);
        assertThat(AddressList.shownDomains("ceo\uFF20ba\u200Bnk.example\u200F").domains()).as("invisible characters dropped").containsExactly(bank);
        assertThat(AddressList.shownDomains("ceo@bank.\u00ADexample").domains()).containsExactly(bank);
        assertThat(AddressList.shownDomains("=?utf-8?q?ceo=40bank.example?=@evil.example").domains()).containsExactly(evil, bank);
        assertThat(AddressList.shownDomains("x@-a.evil.example").domains()).as("a subdomain of what it shows")
                .containsExactly(new AddressList.Shown(Domain.of("evil.example"), false));
        assertThat(AddressList.shownDomains("ceo@[192.0.2.1] x@\u2488 no-at-sign").domains()).isEmpty();
        assertThat(AddressList.shownDomains("@".repeat(1 << 20) + "x@evil.example")).as("only the first 16K are read, and that is said")
                .isEqualTo(new AddressList.ShownDomains(java.util.List.of(), true));
        assertThat(AddressList.shownDomains("x@evil.example").truncated()).isFalse();
    }
}

package sluice.core.mail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressListTest {

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
        for (String from : new String[] {"<ceo@bank.example> <me@evil.example>", "<me@evil.example> ceo@bank.example",
                "ceo@bank.example me@evil.example", "ceo@bank.example \"me@evil.example\"", "ceo@bank.example\tme@evil.example",
                "ceo@bank.example\u2003me@evil.example", "ceo@bank.example\"@evil.example", "<ceo@bank.example", "ceo@bank.example (x"}) {
            assertThat(AddressList.addrSpecs(from)).as(from).hasSize(1).allSatisfy(a -> assertThat(AddressList.isAddrSpec(a)).as(from + " -> " + a).isFalse());
        }
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
        String alphabet = "ab@.<>,;:\"\\() \t\u2003x";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = r.nextInt(24); i > 0; i--) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            String value = b.toString();
            for (String a : AddressList.addrSpecs(value)) {
                assertThat(a).as(value).isNotBlank();
                // what is given as an addr-spec has one unquoted "@" and nothing readers could split at
                if (AddressList.isAddrSpec(a)) {
                    String unquoted = a.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "q");
                    assertThat(unquoted).as(value).contains("@").doesNotContain("<", ">", ",", " ", "\"");
                }
            }
        }
    }
}

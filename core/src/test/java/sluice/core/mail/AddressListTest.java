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
}

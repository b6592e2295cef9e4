package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The forms of the utf-8 address type (RFC 6533 section 3) a report writes, and ORCPTs as clients give them. */
class Utf8AddressTypeTest {

    @Test
    void anOriginalRecipientOfTypeUtf8IsTheAddressItselfInAGlobalReportAndXtextInAPlainOne() {
        String orcpt = "utf-8;j\\x{F6}rg+x@b\\x{FC}cher.example";
        assertThat(Utf8AddressType.originalRecipient(orcpt, true)).isEqualTo("utf-8;j\u00f6rg+x@b\u00fccher.example");
        assertThat(Utf8AddressType.originalRecipient(orcpt, false)).isEqualTo(orcpt);
        assertThat(Utf8AddressType.originalRecipient("UTF-8;j\\x{f6}rg@x.example", true)).as("any case").isEqualTo("utf-8;j\u00f6rg@x.example");
        assertThat(Utf8AddressType.originalRecipient("utf-8;\\x{1F600}@x.example", true)).isEqualTo("utf-8;\uD83D\uDE00@x.example");
        assertThat(Utf8AddressType.originalRecipient("utf-8;j\u00f6rg\\x{2B}x@b.example", false)).as("unitext given, xtext written")
                .isEqualTo("utf-8;j\\x{F6}rg\\x{2B}x@b.example");
    }

    @Test
    void asciiOrcptsAndOtherTypesAreWrittenAsGiven() {
        assertThat(Utf8AddressType.originalRecipient("rfc822;bob+tag@example.org", true)).isEqualTo("rfc822;bob+tag@example.org");
        assertThat(Utf8AddressType.originalRecipient("rfc822;bob@example.org", false)).isEqualTo("rfc822;bob@example.org");
        assertThat(Utf8AddressType.originalRecipient("x400;c=de;a=x", true)).isEqualTo("x400;c=de;a=x");
        assertThat(Utf8AddressType.originalRecipient("utf-8;bob@example.org", false)).isEqualTo("utf-8;bob@example.org");
        assertThat(Utf8AddressType.originalRecipient("rfc822;a\r\nInjected: yes", false)).isEqualTo("rfc822;a Injected: yes");
    }

    @Test
    void aMalformedEscapeIsTakenAsTheTextItIsAndNeverFails() {
        for (String bad : new String[] {"\\x{ZZ}", "\\x{}", "\\x{D800}", "\\x{110000}", "\\x{0}", "\\x{F6", "\\x{\uFF11\uFF12}"}) {
            assertThat(Utf8AddressType.unquoted("a" + bad + "@x.example")).as(bad).isNull();
            assertThat(Utf8AddressType.originalRecipient("utf-8;a" + bad + "@x.example", false)).as(bad)
                    .startsWith("utf-8;a").doesNotContain("\r", "\n");
        }
        assertThat(Utf8AddressType.originalRecipient("utf-8;\u00e9\\x{ZZ}@x.example", false)).isEqualTo("utf-8;\\x{E9}\\x{5C}x{ZZ}@x.example");
    }

    @Test
    void whatFitsASevenBitReport() {
        assertThat(Utf8AddressType.fitsAscii("rfc822;j\u00f6rg@x.example")).isTrue();
        assertThat(Utf8AddressType.fitsAscii("utf-8;j\u00f6rg@x.example")).isTrue();
        assertThat(Utf8AddressType.fitsAscii("x400;j\u00f6rg")).isFalse();
        assertThat(Utf8AddressType.finalRecipient("bob@example.org")).isEqualTo("rfc822; bob@example.org");
        assertThat(Utf8AddressType.finalRecipient("j\u00f6rg@example.org")).isEqualTo("utf-8;j\u00f6rg@example.org");
    }
}

package sluice.core.mail;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainTest {

    @Test
    void sharpSAndFinalSigmaAreLettersOfTheirOwnAsResolversReadThem() {
        // UTS #46 non-transitional: IDNA2003 made these strasse.example, fass.de and the name with a middle sigma
        assertThat(Domain.of("stra\u00dfe.example").name()).isEqualTo("xn--strae-oqa.example");
        assertThat(Domain.of("Stra\u00dfe.Example.").name()).isEqualTo("xn--strae-oqa.example");
        assertThat(Domain.of("fa\u00df.de").name()).isEqualTo("xn--fa-hia.de");
        assertThat(Domain.of("\u03b2\u03cc\u03bb\u03bf\u03c2.com").name()).isEqualTo("xn--nxasmm1c.com");
        assertThat(Domain.of("mail.stra\u00dfe.example").parent()).isEqualTo(Domain.of("xn--strae-oqa.example"));
        assertThat(Domain.of("mail.stra\u00dfe.example").isWithin(Domain.of("xn--strae-oqa.example"))).isTrue();
        assertThat(Domain.of("xn--strae-oqa.example")).isNotEqualTo(Domain.of("strasse.example"));
    }

    @Test
    void namesWithoutThoseLettersAreMappedAsBefore() {
        assertThat(Domain.of("M\u00fcnchen.Example").name()).isEqualTo("xn--mnchen-3ya.example");
        assertThat(Domain.of("\u0392\u038c\u039b\u039f\u03a3.com").name()).as("a capital sigma folds to the middle sigma")
                .isEqualTo("xn--nxasmq6b.com");
        assertThat(Domain.of("_dmarc.Example.ORG").name()).isEqualTo("_dmarc.example.org");
    }

    @Test
    void aJoinerMakesTheNameInvalid() {
        for (String name : new String[] {"bank\u200d.example", "bank\u200c.example", "stra\u00dfe\u200d.example"}) {
            assertThatThrownBy(() -> Domain.of(name)).as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aLabelTooLongForDnsIsInvalid() {
        assertThatThrownBy(() -> Domain.of("\u00df".repeat(64) + ".example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Domain.of("\u00df".repeat(60) + ".example")).as("66 octets as an A-label")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyFailureOfTheMappingIsAnInvalidName() {
        // U+FDFA maps to 18 letters: 56 of them make a label of 1008, which the IDN code refuses with a bare RuntimeException
        for (String name : new String[] {"\uFDFA".repeat(56) + ".example", "\uFDFA".repeat(56) + "\u00df.example",
                "\u00fc".repeat(1001) + ".example", "a.".repeat(600) + "example"}) {
            assertThatThrownBy(() -> Domain.of(name)).as(name.substring(0, 8)).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid domain");
        }
    }

    @Test
    void everyNameIsReadAsUts46ReadsIt() {
        // as resolvers and browsers read them (UTS #46 non-transitional, e.g. WHATWG URL's host parser)
        assertThat(Domain.of("a\u00dfxn--mnchen-3ya.example").name()).as("the whole label is encoded, not re-read")
                .isEqualTo("xn--axn--mnchen-3ya-qib.example");
        assertThat(Domain.of("stra\u00dfe\u3002example").name()).as("an ideographic full stop separates labels")
                .isEqualTo("xn--strae-oqa.example");
        assertThat(Domain.of("M\u00fcnch\u00aden.example").name()).as("a soft hyphen is ignored").isEqualTo("xn--mnchen-3ya.example");
        assertThat(Domain.of("XN--ZCA.Example").name()).isEqualTo("xn--zca.example");
        assertThat(Domain.of("r3---sn-abc.googlevideo.com").name()).as("hyphens in the third and fourth place, as browsers take them")
                .isEqualTo("r3---sn-abc.googlevideo.com");
        assertThat(Domain.of("\u0646\u0627\u0645\u0647\u200c\u0627\u06cc.example").name())
                .as("a non-joiner where Persian needs it (RFC 5892 CONTEXTJ)").startsWith("xn--").endsWith(".example");
    }

    @Test
    void namesUts46RefusesAreInvalid() {
        for (String name : new String[] {
                "\u00df\u2488com.example", // U+2488 DIGIT ONE FULL STOP: the IDN code made it "1." inside an A-label
                "bank\u2488example",
                ".\u00df.example", "a..example", // empty labels
                "-\u00df.example", "\u00df-.example", "-bank.example", // a hyphen at the start or the end
                "\u0301\u00df.example", // a leading combining mark
                "\u05d0a.example", // right-to-left and left-to-right in one label (RFC 5893)
                "xn--zca\u00df.example", // no valid A-label beside a character outside ASCII
                "ceo\uff20bank.example", "a\u00b7b.example", // a fullwidth at sign; a middle dot outside l\u00b7l (CONTEXTO)
                "\u00df".repeat(60) + ".example"}) { // 66 octets as an A-label
            assertThatThrownBy(() -> Domain.of(name)).as(name).isExactlyInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void dnsNamesInAsciiKeepTheirUnderscoresAndDigits() {
        Domain rtl = Domain.of("\u0645\u062b\u0627\u0644.\u0625\u062e\u062a\u0628\u0627\u0631");
        assertThat(rtl.name()).isEqualTo("xn--mgbh0fb.xn--kgbechtv");
        // a service label or a selector that starts with a digit breaks the Bidi rule beside a right-to-left label, yet is looked up as it is
        assertThat(Domain.of("_dmarc." + rtl.name()).name()).isEqualTo("_dmarc.xn--mgbh0fb.xn--kgbechtv");
        assertThat(Domain.of("20230601._domainkey." + rtl.name()).name()).isEqualTo("20230601._domainkey.xn--mgbh0fb.xn--kgbechtv");
        assertThat(Domain.of("1.2.0.192.in-addr.arpa").name()).isEqualTo("1.2.0.192.in-addr.arpa");
    }

    @Test
    void anAsciiNameIsTheDnsNameAsItStands() {
        // resolvers look these up unchanged: no A-label in them is decoded or checked (invalid punycode, CONTEXTO, Bidi)
        for (String name : new String[] {"xn--abc.bank.example", "xn--a.example", "xn--ab-0ea.example", "xn--ab-3n4a.example",
                "xn--9hb20a.example", "xn--ls8h.bank.example", "_spf.xn--abc.example"}) {
            assertThat(Domain.of(name).name()).as(name).isEqualTo(name);
        }
        assertThat(Domain.of("XN--ABC.Bank.Example.").name()).isEqualTo("xn--abc.bank.example");
        assertThat(Domain.of("xn--abc.bank.example").isWithin(Domain.of("bank.example"))).isTrue();
        assertThat(Domain.of("a".repeat(63) + ".example").name()).hasSize(71);
        for (String name : new String[] {"-bank.example", "bank-.example", "bank.example-", "a..example", ".example", "a b.example",
                "a".repeat(64) + ".example", ("a".repeat(60) + ".").repeat(5) + "example", "bank.example.."}) {
            assertThatThrownBy(() -> Domain.of(name)).as(name).isExactlyInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aTrailingDotIsDroppedAfterTheMapping() {
        // U+3002 is a full stop only once mapped: "localhost\u3002" is the root's localhost, with no empty parent
        assertThat(Domain.of("localhost\u3002").name()).isEqualTo("localhost");
        assertThat(Domain.of("localhost\u3002").parent()).isNull();
        assertThat(Domain.of("Example.com\uFF0E").name()).isEqualTo("example.com");
        assertThat(Domain.of("example.com\u3002").parent()).isEqualTo(Domain.of("com"));
        for (String name : new String[] {"\u3002", ".", "x\u3002\u3002", "x.\u3002", "\u00df\u3002\u3002"}) {
            assertThatThrownBy(() -> Domain.of(name)).as(name).isExactlyInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theReadableEndOfANameThatIsNone() {
        assertThat(Domain.readableEnd("ceo.x\u2488y.bank.example")).isEqualTo(Domain.of("bank.example"));
        assertThat(Domain.readableEnd("-x.mail.bank.example.")).isEqualTo(Domain.of("mail.bank.example"));
        assertThat(Domain.readableEnd("a\u00b7b\u3002stra\u00dfe.example")).isEqualTo(Domain.of("xn--strae-oqa.example"));
        assertThat(Domain.readableEnd("bank.example")).isEqualTo(Domain.of("bank.example"));
        for (String text : new String[] {"", ".", "a..", "x.\u2488", "[192.0.2.1]"}) assertThat(Domain.readableEnd(text)).as(text).isNull();
    }

    @Test
    void aNameMixingAsciiAndUnicodeLabelsIsTheNameItsAllAsciiSpellingIs() {
        // ASCII labels stand as on the ASCII path (an A-label no one can decode too); only the others are mapped by UTS #46
        assertThat(Domain.of("xn--abc.b\u00fccher.example")).isEqualTo(Domain.of("xn--abc.xn--bcher-kva.example"));
        assertThat(Domain.of("XN--ABC.B\u00dcCHER.Example\u3002").name()).isEqualTo("xn--abc.xn--bcher-kva.example");
        // an ASCII label beside a right-to-left one is no longer refused by the Bidi rule: DNS looks the name up as it stands
        assertThat(Domain.of("1a.\u05d0\u05d1.bank.example")).isEqualTo(Domain.of("1a.xn--4dbc.bank.example"));
        // a Unicode label is still checked as before
        for (String name : new String[] {"xn--abc.-b\u00fccher.example", "xn--abc.b\u00fccher\u2488.example", "\u00ad.example",
                "a\u3002\u3002b\u00fc", "x.\u0661a\u0628.example"})
            assertThatThrownBy(() -> Domain.of(name)).as(name).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(Domain.of("example.\u00ad").name()).as("a label of ignorables at the end is the root").isEqualTo("example");
    }
}

package sluice.core.mail;

import org.junit.jupiter.api.Test;

import java.net.IDN;
import java.util.Random;

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
    void punycodeEncodesAsTheJdkDoes() {
        assertThat(Punycode.encode("stra\u00dfe")).isEqualTo("strae-oqa");
        assertThat(Punycode.encode("\u00df")).isEqualTo("zca");
        Random r = new Random(11);
        String letters = "abz09-\u00e4\u00f6\u00fc\u00e9\u03b1\u03c9\u0436\u4e2d\u6587\u0905\uac00";
        for (int n = 0; n < 2_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = 1 + r.nextInt(12); i > 0; i--) b.append(letters.charAt(r.nextInt(letters.length())));
            String label = b.toString();
            if (label.chars().allMatch(c -> c < 128) || label.startsWith("-") || label.endsWith("-")) continue;
            assertThat("xn--" + Punycode.encode(label)).as(label).isEqualTo(IDN.toASCII(label));
        }
    }
}

package sluice.core.mail;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HeadersTest {

    private static byte[] m(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void valuesAreUnfoldedCaseInsensitiveAndStopAtTheBody() {
        byte[] msg = m("Received: from a\r\n\tby b; Sat\r\nSUBJECT: Hello\r\n  folded  world\r\nreceived: from c\r\n\r\nSubject: body line\r\n");
        assertThat(Headers.first(msg, "Subject")).isEqualTo("Hello folded  world");
        assertThat(Headers.all(msg, "Received", 10)).containsExactly("from a by b; Sat", "from c");
        assertThat(Headers.all(msg, "Received", 1)).containsExactly("from a by b; Sat");
        assertThat(Headers.first(msg, "Message-ID")).isNull();
    }

    @Test
    void bareLineFeedsAndUtf8AndAPrefixThatIsNotTheName() {
        byte[] msg = m("Subjective: no\nSubject: Grüße\n\nbody");
        assertThat(Headers.first(msg, "Subject")).isEqualTo("Grüße");
        assertThat(Headers.headerLength(msg)).isEqualTo("Subjective: no\nSubject: Grüße\n\n".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aMessageWithoutBodyOrHeaderEndIsReadToTheEnd() {
        assertThat(Headers.first(m("Subject: only"), "Subject")).isEqualTo("only");
        assertThat(Headers.all(m(""), "Subject", 5)).isEmpty();
    }

    @Test
    void aLineOfBlanksAloneContinuesTheField() {
        // obsolete folding (RFC 5322 section 4.2): readers show both addresses as From, so every check must see both
        byte[] msg = m("From: x@evil.example\r\n \r\n\t\r\n , ceo@bank.example\r\nSubject: hi\r\n\r\nb\r\n");
        assertThat(Headers.all(msg, "From", 10)).containsExactly("x@evil.example , ceo@bank.example");
        assertThat(Headers.first(msg, "Subject")).isEqualTo("hi");
    }
}

package sluice.core.mail;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message need not have a blank line (RFC 5322 section 3.5: the body is optional). One that is only
 * header fields is header to its end; in a broken one the header ends at the first line that is neither
 * a field nor a folded continuation, and what follows is body, however large, for every reader.
 */
class HeaderWithoutBlankLineTest {

    private static final String HEADER = "X-Sluice-Rules: 6f1c0e3a-rule\r\nFrom: ann@contoso.example\r\nSubject: no blank line\r\n";
    /** About 10 MB of lines that are not header fields, the first one starting with "X-Sluice-" nowhere near a colon. */
    private static final String BODY = "This line is not a header field, X-Sluice-Rules: nor is any after it.\r\n".repeat(150_000);

    private static byte[] m(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theHeaderEndsAtTheFirstLineThatIsNeitherAFieldNorAContinuation() {
        assertThat(Headers.headerLength(m("Subject: x\r\n\r\nbody\r\n"))).isEqualTo(14);
        assertThat(Headers.headerLength(m("Subject: x\r\n folded\r\nFrom : a@b.example\r\n"))).as("only fields").isEqualTo(41);
        assertThat(Headers.headerLength(m("Subject: x"))).as("no line end at all").isEqualTo(10);
        assertThat(Headers.headerLength(m("\nbody\n"))).as("an empty header, bare LF").isEqualTo(1);
        assertThat(Headers.headerLength(m("Subject: x\r\nnot a field\r\nFrom: a@b.example\r\n\r\nbody\r\n")))
                .as("a later blank line does not pull the broken line into the header").isEqualTo(12);
        assertThat(Headers.headerLength(m("From jan@example.net Sat Nov 28 09:00:00 2026\r\nSubject: x\r\n\r\n")))
                .as("an mbox separator is not a field").isZero();
        assertThat(Headers.headerLength(m("Subject: caf\u00e9\r\n\u00e9t\u00e9: no\r\n"))).as("a field name is ASCII")
                .isEqualTo(m("Subject: caf\u00e9\r\n").length);
    }

    @Test
    void readersDoNotLookPastTheBrokenLine() {
        byte[] msg = m("Subject: first\r\n>From the body\r\nSubject: second\r\n\r\n");
        assertThat(Headers.all(msg, "Subject", 5)).containsExactly("first");
    }

    @Test
    void aHugeBrokenMessageHasASmallHeaderAndItsBodyIsLeftAlone() {
        byte[] msg = m(HEADER + BODY);
        assertThat(msg.length).isGreaterThan(10_000_000);
        assertThat(Headers.headerLength(msg)).isEqualTo(HEADER.length());

        List<Integer> seen = new ArrayList<>();
        byte[] out = Headers.withoutFields(msg, field -> seen.add(field.length()) && field.startsWith("X-Sluice-"));
        assertThat(seen).as("the fields looked at, and only those").hasSize(3).allSatisfy(n -> assertThat(n).isLessThan(64));
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(HEADER.substring(HEADER.indexOf("From:")) + BODY);
    }

    @Test
    void theOrganizationsFieldsAreRemovedFromTheHeaderOnly() {
        byte[] msg = m(HEADER + BODY);
        String out = new String(OrganizationHeaders.removed(msg), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo(HEADER.substring(HEADER.indexOf("From:")) + BODY);

        byte[] none = m("From: ann@contoso.example\r\n" + BODY);
        assertThat(OrganizationHeaders.removed(none)).as("nothing to remove: the same array, nothing copied").isSameAs(none);
        byte[] kept = m("x-sluice-antispam-report: SCL:1\r\n" + BODY);
        assertThat(OrganizationHeaders.removed(kept)).isSameAs(kept);
    }

    @Test
    void aFieldPrefixIsFoundInAnyCaseButNotInAContinuationOrTheBody() {
        assertThat(Headers.hasFieldStartingWith(m("Subject: a\r\nx-SLUICE-folder: Junk\r\n\r\n"), "X-Sluice-")).isTrue();
        assertThat(Headers.hasFieldStartingWith(m("Subject: a\r\n X-Sluice-Folder: Junk\r\n\r\n"), "X-Sluice-")).isFalse();
        assertThat(Headers.hasFieldStartingWith(m("Subject: a\r\n\r\nX-Sluice-Folder: Junk\r\n"), "X-Sluice-")).isFalse();
        assertThat(Headers.hasFieldStartingWith(m("Subject: a\r\nbroken\r\nX-Sluice-Folder: Junk\r\n"), "X-Sluice-")).isFalse();
        assertThat(Headers.hasFieldStartingWith(m("X-Sluice"), "X-Sluice-")).isFalse();
    }

    @Test
    void anEmptyLineGoesWhereTheHeaderBrokeOffAndNowhereElse() {
        java.util.function.UnaryOperator<String> separated = m -> new String(Headers.withSeparator(
                m.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(separated.apply("Subject: a\r\nno field\r\nX: y\r\n\r\nbody")).isEqualTo("Subject: a\r\n\r\nno field\r\nX: y\r\n\r\nbody");
        assertThat(separated.apply("no header at all\r\n")).isEqualTo("\r\nno header at all\r\n");
        for (String fine : java.util.List.of("Subject: a\r\n\r\nbody", "Subject: a\n\nbody", "Subject: a\r\n", "Subject: a\r\n\r\n", "\r\nbody", ""))
            assertThat(separated.apply(fine)).as(fine).isEqualTo(fine);
        byte[] same = "Subject: a\r\n\r\nb".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(Headers.withSeparator(same)).isSameAs(same);
    }
}

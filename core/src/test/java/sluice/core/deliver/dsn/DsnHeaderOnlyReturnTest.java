package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report returns the header of the original unless the sender asked for the whole message
 * (RET=FULL) and it is small: a header, never the whole message, and never a huge one.
 */
class DsnHeaderOnlyReturnTest {

    @Test
    void aMessageWithoutABlankLineReturnsItsHeaderFieldsNotTheWholeMessage() {
        String header = "From: ann@contoso.example\r\nSubject: no blank line\r\n";
        String body = "This line is not a header field, nor is any after it.\r\n".repeat(40_000); // 2.2 MB
        byte[] dsn = DsnReturnedPartTest.report(null, header + body, DsnBuilder.Action.FAILED);

        assertThat(DsnReturnedPartTest.returned(dsn)).isEqualTo(header);
        assertThat(dsn.length).isLessThan(8 << 10);
        assertThat(DsnReturnedPartTest.returnedType(dsn)).isEqualTo("text/rfc822-headers");
    }

    @Test
    void aHugeHeaderIsCutAtAFieldBoundaryWhetherOrNotFullWasAsked() {
        StringBuilder header = new StringBuilder("Subject: many hops\r\n");
        for (int i = 0; header.length() < 3 << 20; i++)
            header.append("Received: from hop").append(i).append(".example.net by mx.example.net;\r\n\tSat, 28 Nov 2026 09:00:00 +0000\r\n");
        String original = header + "\r\nbody\r\n";

        for (String ret : new String[] {null, "HDRS", "FULL"}) {
            byte[] dsn = DsnReturnedPartTest.report(ret, original, DsnBuilder.Action.FAILED);
            String part = DsnReturnedPartTest.returned(dsn);
            assertThat(part.length()).as("RET=" + ret).isLessThanOrEqualTo(DsnBuilder.MAX_RETURNED_HEADER).isGreaterThan(60 << 10);
            assertThat(original).startsWith(part);
            assertThat(original.substring(part.length())).as("cut before a field, not inside a folded one").startsWith("Received: ");
            assertThat(DsnReturnedPartTest.returnedType(dsn)).isEqualTo("text/rfc822-headers");
        }
    }

    @Test
    void theHeaderEndsAtItsBlankLineOrAtTheFirstLineThatIsNotAField() {
        assertThat(length("Subject: x\r\n\r\nbody\r\n")).isEqualTo(14);
        assertThat(length("Subject: x\n\nbody\n")).isEqualTo(12);
        assertThat(length("Subject: x\r\n folded\r\nFrom : a@b.example\r\n")).isEqualTo(41);
        assertThat(length("Subject: x")).as("no line end at all").isEqualTo(10);
        assertThat(length("\r\nonly a body\r\n")).as("an empty header").isEqualTo(2);
        assertThat(length("only a body\r\nSubject: x\r\n\r\n")).as("no header at all").isZero();
        assertThat(length(" folded first\r\n")).isZero();
        assertThat(length("Subject: x\r\n>From the body\r\n")).isEqualTo(12);
    }

    private static int length(String content) {
        return DsnBuilder.returnedHeaderLength(content.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}

package sluice.imap;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** How a stored message splits into parts: exact delimiter lines, and caps a crafted message cannot get past. */
class MimePartTest {

    private static MimePart parse(String message) {
        return MimePart.parse(message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String bodystructure(MimePart m) {
        ResponseBuilder r = new ResponseBuilder();
        Structure.body(m, true, r);
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    private static String section(MimePart m, MimePart part) {
        return new String(m.raw(), part.bodyStart(), part.end() - part.bodyStart(), StandardCharsets.UTF_8);
    }

    @Test
    void aLineThatOnlyStartsWithTheDelimiterIsContent() {
        MimePart m = parse("""
                Content-Type: multipart/mixed; boundary=a

                --a
                Content-Type: multipart/alternative; boundary=ab

                --ab
                
                inner one
                --ab\t
                
                inner two
                --ab--
                --a \t
                
                --abc is not a delimiter of a
                --a--
                """);
        assertThat(m.children()).hasSize(2);
        MimePart inner = m.children().getFirst();
        assertThat(inner.subtype()).isEqualTo("alternative");
        assertThat(inner.children()).extracting(p -> section(m, p)).containsExactly("inner one", "inner two");
        assertThat(section(m, m.children().get(1))).isEqualTo("--abc is not a delimiter of a");
    }

    @Test
    void partsPastTheCapAreNotListed() {
        StringBuilder b = new StringBuilder("Content-Type: multipart/mixed; boundary=a\n\n");
        for (int i = 0; i < 3 * MimePart.MAX_PARTS; i++) b.append("--a\n\npart ").append(i).append('\n');
        MimePart m = parse(b.append("--a--\n").toString());
        assertThat(m.children()).hasSize(MimePart.MAX_PARTS - 1); // the message itself is the first entity
        assertThat(section(m, m.children().getLast())).isEqualTo("part " + (MimePart.MAX_PARTS - 2));
    }

    @Test
    void headerFieldsPastTheCapAreNotListedButTheBodyIsStillFound() {
        String fields = "X-Filler: x\n".repeat(MimePart.MAX_FIELDS + 5);
        MimePart m = parse(fields + "Subject: late\n\nthe body\n");
        assertThat(m.headers()).hasSize(MimePart.MAX_FIELDS);
        assertThat(m.header("Subject")).isNull();
        assertThat(section(m, m)).isEqualTo("the body\r\n");
    }

    @Test
    void aMessageTooDeepToOpenIsShownAsOpaqueDataNotAsAnIncompleteMessageEntry() {
        String message = "Subject: innermost\n\ntext\n";
        for (int i = 0; i < MimePart.MAX_DEPTH + 1; i++) message = "Content-Type: message/rfc822\n\n" + message;
        MimePart m = parse(message);
        MimePart deepest = m;
        for (int i = 0; i < MimePart.MAX_DEPTH; i++) deepest = deepest.message();
        assertThat(deepest.message()).isNull();
        assertThat(deepest.type() + "/" + deepest.subtype()).isEqualTo("application/octet-stream");
        assertThat(bodystructure(m)).doesNotContain("\"RFC822\" NIL NIL \"7BIT\" " + deepest.bodySize() + " NIL")
                .contains("(\"APPLICATION\" \"OCTET-STREAM\" NIL NIL NIL \"7BIT\" " + deepest.bodySize() + " NIL NIL NIL NIL)");
    }
}

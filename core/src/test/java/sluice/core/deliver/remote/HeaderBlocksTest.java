package sluice.core.deliver.remote;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Which octets above 127 are in a header block, the message's or a MIME entity's, and which are content. */
class HeaderBlocksTest {

    private static boolean anyEightBit(String message) {
        return HeaderBlocks.anyEightBit(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String mixed(String... parts) {
        StringBuilder sb = new StringBuilder("Subject: hi\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        for (String p : parts) sb.append("--b\r\n").append(p);
        return sb.append("--b--\r\n").toString();
    }

    @Test
    void theMessagesOwnHeader() {
        assertThat(anyEightBit("Subject: Gr\u00fc\u00dfe\r\n\r\nbody\r\n")).isTrue();
        assertThat(anyEightBit("Subject: x\r\n Gr\u00fc\u00dfe")).isTrue(); // folded, no line end, no body
        assertThat(anyEightBit("Subject: hi\r\n\r\nGr\u00fc\u00dfe\r\n")).isFalse();
        assertThat(anyEightBit("")).isFalse();
    }

    @Test
    void aPartsHeaderButNotItsBodyNorThePreambleOrEpilogue() {
        assertThat(anyEightBit(mixed("Content-Type: text/plain; name=\"\u00e9.txt\"\r\n\r\nhi\r\n"))).isTrue();
        assertThat(anyEightBit(mixed("Content-Type: text/plain\r\n\r\nK\u00e4se\r\n"))).isFalse();
        String withFiller = "Subject: hi\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\npr\u00e9ambule\r\n"
                + "--b\r\n\r\nhi\r\n--b--\r\n\u00e9pilogue\r\nX-Looks-Like: a f\u00efeld\r\n";
        assertThat(anyEightBit(withFiller)).isFalse();
    }

    @Test
    void anEnclosedMessagesHeaderButNotAMessageGlobalsContent() {
        assertThat(anyEightBit(mixed("Content-Type: message/rfc822\r\n\r\nSubject: Gr\u00fc\u00dfe\r\n\r\nhi\r\n"))).isTrue();
        assertThat(anyEightBit(mixed("Content-Type: message/global\r\n\r\nSubject: Gr\u00fc\u00dfe\r\n\r\nhi\r\n"))).isFalse();
        // an enclosed message's own multipart is walked into too
        assertThat(anyEightBit(mixed("Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n"
                + "--c\r\nContent-Disposition: attachment; filename=\"\u00e9.pdf\"\r\n\r\nx\r\n--c--\r\n"))).isTrue();
    }

    /** A digest's parts are messages by default: what follows the empty part header is the enclosed message's header. */
    @Test
    void aDigestsUntypedPartIsAMessage() {
        String part = "\r\nSubject: Gr\u00fc\u00dfe\r\n\r\nhi\r\n";
        assertThat(anyEightBit("Content-Type: multipart/digest; boundary=b\r\n\r\n--b\r\n" + part + "--b--\r\n")).isTrue();
        assertThat(anyEightBit("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" + part + "--b--\r\n")).isFalse();
    }

    /** An outer delimiter ends an inner multipart left open; the part after it has its header read. */
    @Test
    void anOuterDelimiterClosesAnInnerMultipart() {
        String inner = "Content-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\nK\u00e4se\r\n";
        assertThat(anyEightBit(mixed(inner, "Content-Type: text/plain; name=\"\u00e9\"\r\n\r\nx\r\n"))).isTrue();
        assertThat(anyEightBit(mixed(inner, "Content-Type: text/plain\r\n\r\nK\u00e4se\r\n"))).isFalse();
        // once closed, the inner boundary is no delimiter: its line is body
        assertThat(anyEightBit(mixed("Content-Type: multipart/alternative; boundary=c\r\n\r\n--c\r\n\r\nx\r\n--c--\r\n"
                + "--c\r\nX-Name: \u00e9\r\n"))).isFalse();
    }
}

package sluice.smtp.client;

import org.junit.jupiter.api.Test;
import sluice.smtp.Reply;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyReaderTest {

    private static Reply read(String wire) throws IOException {
        return new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8))).read();
    }

    @Test
    void multiLineEhloReplyKeepsEveryLine() throws IOException {
        Reply r = read("250-mx.test Hello\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 STARTTLS\r\n");
        assertThat(r.enhanced()).isNull();
        assertThat(r.lines()).containsExactly("mx.test Hello", "PIPELINING", "SIZE 1000", "STARTTLS");
        Capabilities caps = Capabilities.parse(r);
        assertThat(caps.pipelining()).isTrue();
        assertThat(caps.startTls()).isTrue();
        assertThat(caps.maxSize()).isEqualTo(1000);
        assertThat(caps.tooLarge(1001)).isTrue();
        assertThat(caps.dsn()).isFalse();
    }

    @Test
    void enhancedCodeIsSplitOffEachLine() throws IOException {
        Reply r = read("550-5.1.1 No such\r\n550 5.1.1 user\r\n");
        assertThat(r.enhanced()).isEqualTo("5.1.1");
        assertThat(r.toString()).isEqualTo("550 5.1.1 No such user");
    }

    @Test
    void enhancedCodeOfAnotherClassIsJustText() throws IOException {
        Reply r = read("450 5.1.1 odd\n");
        assertThat(r.enhanced()).isNull();
        assertThat(r.text()).isEqualTo("5.1.1 odd");
    }

    @Test
    void bareCodeIsAReply() throws IOException {
        assertThat(read("250\r\n").toString()).isEqualTo("250 ");
    }

    @Test
    void malformedRepliesAreProtocolErrors() {
        assertThatThrownBy(() -> read("hello\r\n")).isInstanceOf(ReplyReader.ProtocolException.class);
        assertThatThrownBy(() -> read("250-a\r\n251 b\r\n")).isInstanceOf(ReplyReader.ProtocolException.class);
        assertThatThrownBy(() -> read("099 x\r\n")).isInstanceOf(ReplyReader.ProtocolException.class);
        assertThatThrownBy(() -> read("250-a\r\n")).isInstanceOf(java.io.EOFException.class);
    }

    /** The error's message reaches traces and notices: what a service that is no SMTP server sent is not in it. */
    @Test
    void aMalformedLineIsNotInTheErrorsMessage() {
        for (String wire : new String[]{"SSH-2.0-OpenSSH_9.2p1 Debian\r\n", "250-a\r\n251 OpenSSH\r\n", "999 OpenSSH\r\n", "250xOpenSSH\r\n"})
            assertThatThrownBy(() -> read(wire)).isInstanceOf(ReplyReader.ProtocolException.class)
                    .message().doesNotContain("SSH").doesNotContain("250").doesNotContain("999");
    }
}

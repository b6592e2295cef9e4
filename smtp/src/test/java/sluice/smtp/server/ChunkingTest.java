package sluice.smtp.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.smtp.server.RecordingHandler.text;

/** BDAT (RFC 3030 CHUNKING), without BINARYMIME. */
class ChunkingTest extends ServerFixture {

    @Test
    void chunksAreJoinedExactlyWithoutUnstuffing() throws Exception {
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        assertThat(c.send("BDAT 12\r\nSubject: x\r\n").reply()).isEqualTo("250 2.0.0 12 octets received");
        assertThat(c.send("BDAT 9 LAST\r\n\r\n..dot\r\n").reply()).isEqualTo("250 2.0.0 Queued as TEST");
        assertThat(text(handler.nextMessage())).isEqualTo("Subject: x\r\n\r\n..dot\r\n");
    }

    @Test
    void pipelinedChunksAndAnEmptyLastChunk() throws Exception {
        RawClient c = ehloClient(start());
        c.send("MAIL FROM:<a@example.com> BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\nBDAT 5\r\nab\r\nxBDAT 0 LAST\r\nNOOP\r\n");
        assertThat(c.reply()).startsWith("250 2.1.0");
        assertThat(c.reply()).startsWith("250 2.1.5");
        assertThat(c.reply()).isEqualTo("250 2.0.0 5 octets received");
        assertThat(c.reply()).isEqualTo("250 2.0.0 Queued as TEST");
        assertThat(c.reply()).isEqualTo("250 2.0.0 OK");
        assertThat(text(handler.nextMessage())).isEqualTo("ab\r\nx");
    }

    /**
     * BINARYMIME is not offered: binary content skips the text checks, so a bare CR could hide header fields
     * from every check that the next hop (which gets CRLFs) reads as real; and delivery cannot pass it on.
     */
    @Test
    void binaryMimeIsNotOffered() throws Exception {
        RawClient c = client(start());
        assertThat(c.replyLinesOf("EHLO client.example")).noneMatch(l -> l.contains("BINARYMIME"));
        assertThat(c.cmd("MAIL FROM:<a@example.com> BODY=BINARYMIME")).isEqualTo("555 5.5.4 Unsupported parameter BODY=BINARYMIME");
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        c.send("BDAT 37 LAST\r\n").send("Subject: x\rFrom: ceo@example.com\r\n\r\nx".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(c.reply()).isEqualTo("554 5.6.11 Bare CR or LF not allowed; lines must end with CRLF");
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void textChunksWithBareLineEndsAreRefused() throws Exception {
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        assertThat(c.send("BDAT 7 LAST\r\na\n.\nb\r\n").reply()).isEqualTo("554 5.6.11 Bare CR or LF not allowed; lines must end with CRLF");
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void dataCannotFollowBdat() throws Exception {
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        assertThat(c.send("BDAT 3\r\nabc").reply()).startsWith("250 ");
        assertThat(c.cmd("DATA")).isEqualTo("503 5.5.1 DATA not allowed in a BDAT transaction");
        assertThat(c.send("BDAT 3 LAST\r\ndef").reply()).startsWith("250 2.0.0 Queued");
        assertThat(text(handler.nextMessage())).isEqualTo("abcdef");
    }

    @Test
    void refusedChunksAreStillConsumed() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.send("BDAT 6\r\nRSET\r\n").reply()).isEqualTo("503 5.5.1 Need MAIL command");
        c.cmd("MAIL FROM:<a@example.com>");
        assertThat(c.send("BDAT 6 LAST\r\nQUIT\r\n").reply()).isEqualTo("554 5.5.1 No valid recipients");
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
    }

    @Test
    void oversizedChunkIsConsumedAndEndsTheTransaction() throws Exception {
        RawClient c = ehloClient(start(b -> b.maxMessageSize(2048)));
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        assertThat(c.send("BDAT 2000\r\n" + "x".repeat(2000)).reply()).startsWith("250 ");
        assertThat(c.send("BDAT 120 LAST\r\n" + "RSET\r\n".repeat(20)).reply())
                .isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        assertThat(c.cmd("RCPT TO:<b@example.com>")).isEqualTo("503 5.5.1 Need MAIL command");
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void malformedBdatLosesTheFramingAndClosesTheSession() throws Exception {
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        assertThat(c.cmd("BDAT ten LAST")).isEqualTo("501 5.5.4 Syntax: BDAT chunk-size [LAST]");
        c.assertClosed();
    }
}

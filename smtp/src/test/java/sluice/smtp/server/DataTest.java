package sluice.smtp.server;

import org.junit.jupiter.api.Test;
import sluice.smtp.Reply;
import sluice.smtp.Transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.smtp.server.RecordingHandler.text;

/** DATA: what the handler gets, and every limit on content. */
class DataTest extends ServerFixture {

    @Test
    void handlerGetsTheUnstuffedMessageAndTheSessionFacts() throws Exception {
        RawClient c = ehloClient(start());
        String reply = c.mail("a@example.com", "b@example.com",
                "Subject: dots\r\n\r\n..leading dot\r\n...\r\nmiddle . dot\r\n.\r\n");
        assertThat(reply).isEqualTo("250 2.0.0 Queued as TEST");
        Transaction t = handler.nextMessage();
        assertThat(text(t)).isEqualTo("Subject: dots\r\n\r\n.leading dot\r\n..\r\nmiddle . dot\r\n");
        assertThat(t.heloName()).isEqualTo("client.test");
        assertThat(t.esmtp()).isTrue();
        assertThat(t.tls()).isNull();
        assertThat(t.authenticatedAs()).isNull();
        assertThat(t.mailFrom().reversePath()).isEqualTo("a@example.com");
        assertThat(t.recipients()).extracting(r -> r.forwardPath()).containsExactly("b@example.com");
        assertThat(t.receivedCount()).isZero();
        assertThat(t.connection()).isEqualTo(handler.connections.getFirst());
    }

    @Test
    void emptyMessageAndEightBitContentPassUnchanged() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.mail("a@example.com", "b@example.com", ".\r\n")).startsWith("250 ");
        assertThat(handler.nextMessage().content()).isEmpty();
        byte[] eightBit = "Subject: caf\u00e9\r\n\r\n\u00ff\u00fe\r\n.\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        c.cmd("MAIL FROM:<a@example.com> BODY=8BITMIME");
        c.cmd("RCPT TO:<b@example.com>");
        c.cmd("DATA");
        assertThat(c.send(eightBit).reply()).startsWith("250 ");
        assertThat(handler.nextMessage().content()).hasSize(eightBit.length - 3);
    }

    @Test
    void twoTransactionsOnOneConnectionAndResetBetween() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.mail("a@example.com", "b@example.com", "first\r\n.\r\n")).startsWith("250 ");
        assertThat(c.mail("c@example.com", "d@example.com", "second\r\n.\r\n")).startsWith("250 ");
        assertThat(text(handler.nextMessage())).isEqualTo("first\r\n");
        Transaction second = handler.nextMessage();
        assertThat(text(second)).isEqualTo("second\r\n");
        assertThat(second.recipients()).hasSize(1);
        assertThat(handler.events).filteredOn("reset"::equals).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void messageOverTheSizeLimitIsReadToTheEndAndRefused() throws Exception {
        RawClient c = ehloClient(start(b -> b.maxMessageSize(2048)));
        String big = ("x".repeat(98) + "\r\n").repeat(30) + ".\r\n";
        assertThat(c.mail("a@example.com", "b@example.com", big)).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
        String fits = ("x".repeat(98) + "\r\n").repeat(20) + ".\r\n";
        assertThat(c.mail("a@example.com", "b@example.com", fits)).startsWith("250 ");
        assertThat(handler.nextMessage().content()).hasSize(2000);
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void lineOver1000OctetsIsRefusedAfterTheData() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.mail("a@example.com", "b@example.com", "x".repeat(998) + "\r\n.\r\n")).startsWith("250 ");
        handler.nextMessage();
        assertThat(c.mail("a@example.com", "b@example.com", "x".repeat(999) + "\r\n.\r\n"))
                .isEqualTo("554 5.6.0 Message line too long (limit 1000 octets including CRLF)");
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void nulInDataIsRefused() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.mail("a@example.com", "b@example.com", "a\0b\r\n.\r\n"))
                .isEqualTo("554 5.6.0 NUL octets not allowed in message content");
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void receivedFieldsInTheHeaderAreCounted() throws Exception {
        RawClient c = ehloClient(start());
        String message = "Received: from a\r\n\tby b\r\nRECEIVED : from c\r\nreceived:from d\r\nX-Received: no\r\n"
                + "Subject: x\r\n\r\nReceived: in the body does not count\r\n.\r\n";
        assertThat(c.mail("a@example.com", "b@example.com", message)).startsWith("250 ");
        assertThat(handler.nextMessage().receivedCount()).isEqualTo(3);
    }

    @Test
    void moreReceivedFieldsThanTheLimitIsALoop() throws Exception {
        RawClient c = ehloClient(start());
        String fifty = "Received: from relay\r\n".repeat(50);
        assertThat(c.mail("a@example.com", "b@example.com", fifty + "\r\nbody\r\n.\r\n")).startsWith("250 ");
        assertThat(handler.nextMessage().receivedCount()).isEqualTo(50);
        assertThat(c.mail("a@example.com", "b@example.com", fifty + "Received: one more\r\n\r\nbody\r\n.\r\n"))
                .isEqualTo("554 5.4.14 Hop count exceeded - possible mail loop");
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void handlerFailureOnDataIsTemporaryAndTheSessionGoesOn() throws Exception {
        handler.onData = t -> {
            throw new IllegalStateException("disk full");
        };
        RawClient c = ehloClient(start());
        assertThat(c.mail("a@example.com", "b@example.com", "x\r\n.\r\n")).isEqualTo("451 4.3.0 Temporary server error, please try again later");
        handler.onData = t -> Reply.of(250, "2.0.0", "OK now");
        assertThat(c.mail("a@example.com", "b@example.com", "x\r\n.\r\n")).isEqualTo("250 2.0.0 OK now");
    }

    @Test
    void rejectedDataIsNotCountedAsAccepted() throws Exception {
        handler.onData = t -> Reply.of(550, "5.7.1", "Message content rejected");
        RawClient c = ehloClient(start());
        assertThat(c.mail("a@example.com", "b@example.com", "x\r\n.\r\n")).isEqualTo("550 5.7.1 Message content rejected");
        assertThat(c.cmd("RCPT TO:<b@example.com>")).isEqualTo("503 5.5.1 Need MAIL command");
    }
}

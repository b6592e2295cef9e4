package sluice.smtp.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * SMTP smuggling (SEC Consult, December 2023): a fake end-of-data sequence followed by a second,
 * spoofed transaction inside one message. Only CRLF.CRLF may end DATA; every variant here (the
 * inbound and outbound lists of SMTP-Smuggling-Tools and smtp_smuggling_checker, plus more) must be
 * read through to the real end, refused as a whole, and nothing of it taken as a command.
 */
class SmugglingTest extends ServerFixture {

    private static final String SMUGGLED = "MAIL FROM:<ceo@victim.example>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"
            + "From: ceo@victim.example\r\nSubject: smuggled\r\n\r\nsmuggled\r\n";
    private static final String BARE = "554 5.6.11 Bare CR or LF not allowed; lines must end with CRLF";
    private static final String NUL = "554 5.6.0 NUL octets not allowed in message content";

    static Stream<Arguments> fakeEndsOfData() {
        return Stream.of(
                arguments("\\n.\\n", "\n.\n", BARE),
                arguments("\\n.\\r\\n", "\n.\r\n", BARE),
                arguments("\\r.\\r", "\r.\r", BARE),
                arguments("\\r\\n.\\r", "\r\n.\r", BARE),
                arguments("\\r\\n.\\n", "\r\n.\n", BARE),
                arguments("\\n.\\r", "\n.\r", BARE),
                arguments("\\r.\\n", "\r.\n", BARE),
                arguments("\\r.\\r\\n", "\r.\r\n", BARE),
                arguments("\\r\\n.\\r\\r\\n", "\r\n.\r\r\n", BARE),
                arguments("\\r\\r\\n.\\r\\r\\n", "\r\r\n.\r\r\n", BARE),
                arguments("\\n\\n.\\r\\n", "\n\n.\r\n", BARE),
                arguments("\\r\\n\\0.\\r", "\r\n\0.\r", BARE),
                arguments("\\r\\n\\0.\\n", "\r\n\0.\n", BARE),
                arguments("\\r\\n\\0.\\r\\n", "\r\n\0.\r\n", NUL),
                arguments("\\r\\n.\\0\\r\\n", "\r\n.\0\r\n", NUL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fakeEndsOfData")
    void fakeEndOfDataIsRefusedAndNothingIsSmuggled(String name, String fakeEnd, String expected) throws Exception {
        RawClient c = ehloClient(start());
        String message = "From: a@example.com\r\nSubject: legit\r\n\r\nlegit body" + fakeEnd + SMUGGLED + ".\r\n";
        assertThat(c.mail("a@example.com", "b@example.com", message)).isEqualTo(expected);
        assertThat(c.cmd("NOOP")).as("no reply may be pending for smuggled commands").isEqualTo("250 2.0.0 OK");
        assertThat(handler.messages).isEmpty();
        assertThat(handler.mails).extracting(m -> m.reversePath()).containsExactly("a@example.com");
    }

    static Stream<Arguments> harmlessLookalikes() {
        return Stream.of(
                arguments("dot mid-line", "\r\nlegit body.\r\n"),
                arguments("stuffed dot line", "\r\n."),
                arguments("dot space", "\r\n. \r\n"));
    }

    /** Sequences that are not an end of data at all: one message, with the would-be commands as text. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("harmlessLookalikes")
    void lookalikesStayInsideOneMessage(String name, String sequence) throws Exception {
        RawClient c = ehloClient(start());
        String message = "Subject: legit\r\n\r\nlegit body" + sequence + SMUGGLED + ".\r\n";
        assertThat(c.mail("a@example.com", "b@example.com", message)).isEqualTo("250 2.0.0 Queued as TEST");
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
        assertThat(RecordingHandler.text(handler.nextMessage())).contains("MAIL FROM:<ceo@victim.example>", "Subject: smuggled");
        assertThat(handler.messages).isEmpty();
        assertThat(handler.mails).hasSize(1);
    }
}

package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one command may cost the server, over a real socket: the whole command (lines and literals)
 * is capped, literals before login are small, and FETCH cannot multiply a message in memory.
 */
class ImapLimitsTest {

    @TempDir
    Path dir;
    ImapFixture f;
    Mailbox alice;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir);
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "From: =?utf-8?Q?J=C3=B6rg?= <joerg@x.example>\nTo: \"=?utf-8?B?QsO2Yg==?=\" <bob@a.example>\n"
                + "Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=\n\nbody one\n");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** A CAPABILITY command made of {@code parts} lines (each {@code filler} and a {@code {0+}}), as one command would run on. */
    private static String chained(int parts, String filler) {
        return "a CAPABILITY" + (filler + " {0+}\r\n").repeat(parts);
    }

    /**
     * Sends {@code command} before login and expects {@code bye} and the end of the connection. It is sent from
     * another thread: the server may close the connection before the client has written everything.
     */
    private void assertEndsTheSession(String command, String bye) throws Exception {
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            Thread.ofVirtual().start(() -> {
                try {
                    c.send(command + "\r\n");
                } catch (Exception closedByServer) {
                    // expected once the server has said BYE
                }
            });
            assertThat(c.line()).isEqualTo(bye);
            assertThat(c.line()).isNull();
        }
    }

    /**
     * One client's share of connections, counted as SMTP counts it ({@code ConnectionLimits}: an IPv6 /64 is one
     * client, which the loopback, with one IPv6 address, cannot show; ConnectionLimitsTest does).
     */
    @Test
    void oneClientHasItsShareOfConnectionsAndAnotherAddressIsAnotherClient() throws Exception {
        try (ImapFixture limited = new ImapFixture(dir.resolve("limited"), config -> ImapServerConfig.of(config.hostname(),
                config.bindAddress(), 0, config.sslContext(), false, 20, 1));
             ImapClient first = ImapClient.connect(InetAddress.ofLiteral("127.0.0.1"), limited.server.port())) {
            assertThat(first.line()).startsWith("* OK ");
            try (ImapClient second = ImapClient.connect(InetAddress.ofLiteral("127.0.0.1"), limited.server.port())) {
                assertThat(second.line()).isEqualTo("* BYE Too many connections from your address; try again later");
                assertThat(second.line()).isNull();
            }
            try (ImapClient other = ImapClient.connect(InetAddress.ofLiteral("127.0.0.2"), limited.server.port())) {
                assertThat(other.line()).startsWith("* OK ");
            }
        }
    }

    @Test
    void manyZeroLengthLiteralsBeforeLoginEndTheSessionInsteadOfGrowingOneCommand() throws Exception {
        assertEndsTheSession(chained(201, ""), "* BYE [LIMIT] too many literals in one command (at most 100)");
    }

    @Test
    void longLinesBetweenLiteralsCountTowardsOneCommandCap() throws Exception {
        assertEndsTheSession(chained(10, " " + "x".repeat(30_000)), "* BYE command is longer than 65536 octets");
    }

    @Test
    void aSynchronizingLiteralOverTheCountIsRefusedAndTheSessionGoesOn() throws Exception {
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            c.send(chained(100, "") + " {0}\r\n");
            assertThat(c.line()).isEqualTo("a NO [LIMIT] too many literals in one command (at most 100)");
            assertThat(c.command("b", "NOOP")).containsExactly("b OK NOOP completed");
        }
    }

    @Test
    void beforeLoginOnlySmallLiteralsAreTaken() throws Exception {
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            assertThat(c.command("a", "LOGIN {5000}")).containsExactly("a BAD [TOOBIG] literal of 5000 octets is over the limit of 4096");
            c.send("b SELECT {4096}\r\n"); // not LOGIN: before TLS its literal, the password, is never asked for
            assertThat(c.line()).isEqualTo("+ Ready for literal data");
            assertThat(c.send("x".repeat(4096) + "\r\n").until("b")).containsExactly("b BAD Log in first");
            c.send("c LOGIN {5000+}\r\n");
            assertThat(c.line()).isEqualTo("* BYE literal of 5000 octets is over the limit of 4096");
            assertThat(c.line()).isNull();
        }
        try (ImapClient c = f.loggedIn("alice@a.example")) { // after login the configured limit applies
            c.send("a STATUS {5000}\r\n");
            assertThat(c.line()).isEqualTo("+ Ready for literal data");
            assertThat(c.send("x".repeat(5000) + " (MESSAGES)\r\n").until("a").getLast()).startsWith("a NO ");
        }
    }

    @Test
    void repeatedFetchItemsAreAnsweredOnceAndTooManyItemsAreRefused() throws Exception {
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            c.command("s", "SELECT INBOX");
            assertThat(c.command("a", "FETCH 1 (BODY.PEEK[TEXT] BODY.PEEK[TEXT] body.peek[text] UID UID)")).containsExactly(
                    "* 1 FETCH (BODY[TEXT] {10}\r\nbody one\r\n UID 1)", "a OK FETCH completed");
            assertThat(c.command("b", "FETCH 1 (BODY.PEEK[TEXT]<0.4> BODY.PEEK[TEXT]<0.2>)")).containsExactly(
                    "* 1 FETCH (BODY[TEXT]<0> {4}\r\nbody BODY[TEXT]<0> {2}\r\nbo)", "b OK FETCH completed");
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 101; i++) many.add("BODY.PEEK[]<" + i + ".100000>");
            assertThat(c.command("c", "FETCH 1 (" + String.join(" ", many) + ")"))
                    .containsExactly("c NO [LIMIT] at most 100 fetch items in one FETCH");
            assertThat(c.command("d", "FETCH 1 UID")).containsExactly("* 1 FETCH (UID 1)", "d OK FETCH completed");
        }
    }

    @Test
    void aPartialRangeUpToLongMaxDoesNotOverflow() throws Exception {
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            c.command("s", "SELECT INBOX");
            assertThat(c.command("a", "FETCH 1 BODY.PEEK[TEXT]<1.9223372036854775807>")).containsExactly(
                    "* 1 FETCH (BODY[TEXT]<1> {9}\r\nody one\r\n)", "a OK FETCH completed");
            assertThat(c.command("b", "FETCH 1 BODY.PEEK[TEXT]<9223372036854775807.9223372036854775807>")).containsExactly(
                    "* 1 FETCH (BODY[TEXT]<9223372036854775807> {0}\r\n)", "b OK FETCH completed");
        }
    }

    @Test
    void envelopeNamesAndSubjectKeepTheirEncodedWords() throws Exception {
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            c.command("s", "SELECT INBOX");
            assertThat(c.command("a", "FETCH 1 ENVELOPE").getFirst()).isEqualTo("* 1 FETCH (ENVELOPE (NIL \"=?utf-8?Q?Gr=C3=BC=C3=9Fe?=\" "
                    + "((\"=?utf-8?Q?J=C3=B6rg?=\" NIL \"joerg\" \"x.example\")) ((\"=?utf-8?Q?J=C3=B6rg?=\" NIL \"joerg\" \"x.example\")) "
                    + "((\"=?utf-8?Q?J=C3=B6rg?=\" NIL \"joerg\" \"x.example\")) ((\"=?utf-8?B?QsO2Yg==?=\" NIL \"bob\" \"a.example\")) "
                    + "NIL NIL NIL NIL))");
        }
    }
}

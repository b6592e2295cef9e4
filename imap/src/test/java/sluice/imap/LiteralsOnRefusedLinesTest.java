package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Literals the server must not take: before TLS it does not ask for the literal of a LOGIN (the
 * password, in the clear), and a line it refuses (too long, or with a NUL) that announced a
 * non-synchronizing literal ends the session, since that literal is on its way and would be read as
 * commands.
 */
class LiteralsOnRefusedLinesTest {

    /** A LITERAL+ payload that would run two commands if it were read as commands. */
    static final String PAYLOAD = "x CAPABILITY\r\ny NOOP\r\n";

    @TempDir
    Path dir;
    ImapFixture f;
    ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir);
        f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        c = ImapClient.connect(f.server.port());
        assertThat(c.line()).startsWith("* OK ");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    @Test
    void beforeTlsTheLiteralOfALoginIsNotAskedForAndAfterTlsItIs() throws Exception {
        c.send("a LOGIN {15}\r\n");
        assertThat(c.line()).isEqualTo("a NO [PRIVACYREQUIRED] LOGIN is disabled until STARTTLS: no passwords without TLS");
        c.send("b authenticate PLAIN {8}\r\n");
        assertThat(c.line()).isEqualTo("b NO [PRIVACYREQUIRED] LOGIN is disabled until STARTTLS: no passwords without TLS");
        assertThat(c.command("c", "NOOP")).containsExactly("c OK NOOP completed");
        c.startTls(ImapFixture.clientTls());
        c.send("d LOGIN {15}\r\n");
        assertThat(c.line()).isEqualTo("+ Ready for literal data");
        assertThat(c.send("alice@a.example \"" + ImapFixture.PASSWORD + "\"\r\n").until("d").getLast()).startsWith("d OK ");
    }

    @Test
    void anOverlongLineThatAnnouncedALiteralPlusEndsTheSession() throws Exception {
        c.send("a NOOP " + "x".repeat(70_000) + " {" + PAYLOAD.length() + "+}\r\n" + PAYLOAD);
        assertThat(c.line()).isEqualTo("* BYE line is longer than 65536 octets, and the literal it announced cannot be told from commands");
        assertThat(c.line()).isNull();
    }

    @Test
    void anOverlongLineWithoutALiteralIsRefusedAndTheSessionGoesOn() throws Exception {
        c.send("a NOOP " + "x".repeat(70_000) + " {5}\r\n");
        assertThat(c.line()).isEqualTo("a BAD line is longer than 65536 octets");
        assertThat(c.command("b", "NOOP")).containsExactly("b OK NOOP completed");
    }

    @Test
    void aLineWithANulThatAnnouncedALiteralPlusEndsTheSession() throws Exception {
        c.send("a NOOP \0 {" + PAYLOAD.length() + "+}\r\n" + PAYLOAD);
        assertThat(c.line()).isEqualTo("* BYE NUL is not allowed in commands, and the literal announced after it cannot be told from commands");
        assertThat(c.line()).isNull();
    }
}

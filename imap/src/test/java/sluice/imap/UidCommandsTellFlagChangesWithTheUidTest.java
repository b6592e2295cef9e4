package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9051 section 6.4.9 (RFC 3501 6.4.8): a FETCH response a UID command causes carries the UID. The flags another
 * session changed, told at the end of a UID FETCH, STORE, SEARCH, COPY, MOVE or EXPUNGE, came without one, so a
 * client matching responses by UID could not place them. Two sessions of one mailbox over real sockets.
 */
class UidCommandsTellFlagChangesWithTheUidTest {

    @TempDir
    Path dir;
    private ImapFixture f;
    private ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir);
        Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        for (int n = 1; n <= 3; n++) f.deliver(alice, Folder.INBOX, "Subject: m" + n + "\n\nbody " + n + "\n");
        c = f.loggedIn("alice@a.example");
        c.command("c", "CREATE Archive");
        c.command("s", "SELECT INBOX");
        try (ImapClient other = f.loggedIn("alice@a.example")) {
            other.command("s", "SELECT INBOX");
            assertThat(other.command("o", "STORE 3 +FLAGS (\\Flagged)").getLast()).isEqualTo("o OK STORE completed");
        }
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UID FETCH 1 FLAGS", "UID FETCH 1 BODY[]", "UID STORE 1 +FLAGS (\\Answered)", "UID STORE 1 +FLAGS.SILENT (\\Answered)",
            "UID SEARCH ALL", "UID COPY 1 Archive", "UID EXPUNGE 1"})
    void aChangeFromElsewhereToldDuringAUidCommandCarriesTheUid(String command) throws Exception {
        assertThat(c.command("u", command)).contains("* 3 FETCH (UID 3 FLAGS (\\Flagged))").last().asString().startsWith("u OK");
    }

    @Test
    void aUidMoveTellsItAtTheMessagesNewNumber() throws Exception {
        assertThat(c.command("u", "UID MOVE 1 Archive")).contains("* 1 EXPUNGE", "* 2 FETCH (UID 3 FLAGS (\\Flagged))")
                .last().isEqualTo("u OK UID MOVE completed");
    }

    /** Without UID the response needs none; a MOVE by sequence number tells expunges, with no UID in its FETCH. */
    @ParameterizedTest
    @ValueSource(strings = {"NOOP", "MOVE 1 Archive"})
    void otherCommandsTellItWithoutTheUid(String command) throws Exception {
        assertThat(c.command("u", command)).anySatisfy(l -> assertThat(l).matches("\\* \\d FETCH \\(FLAGS \\(\\\\Flagged\\)\\)"))
                .noneSatisfy(l -> assertThat(l).contains("UID 3"));
    }
}

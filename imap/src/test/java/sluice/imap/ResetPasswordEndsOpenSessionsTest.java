package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator who resets a stolen password, removes it or deletes the mailbox cuts off the
 * sessions already logged in with it: the next command, or the next poll of an IDLE session, is
 * answered with BYE and the connection closes. Other changes to the mailbox leave sessions alone.
 */
class ResetPasswordEndsOpenSessionsTest {

    static final String CHANGED = "* BYE The password of this mailbox was changed or removed; log in again";

    @TempDir
    Path dir;
    ImapFixture f;
    Mailbox alice;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir); // IDLE polls every 100 ms
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Mailbox withPasswordHash(String hash, long quota) {
        return new Mailbox(alice.id(), alice.organizationId(), alice.address(), alice.aliases(), alice.displayName(), hash, quota);
    }

    @Test
    void aNewPasswordEndsTheSessionAtItsNextCommand() throws Exception {
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            assertThat(c.command("a", "SELECT INBOX").getLast()).startsWith("a OK");
            f.directory.updateMailbox(withPasswordHash(ImapFixture.CHEAP.hash("the admin's new one"), 0));
            c.send("b NOOP\r\n");
            assertThat(c.line()).isEqualTo(CHANGED);
            assertThat(c.line()).isNull();
        }
    }

    @Test
    void aRemovedPasswordEndsTheSessionAtItsNextCommand() throws Exception {
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            f.directory.updateMailbox(withPasswordHash(null, 0));
            c.send("a LIST \"\" *\r\n");
            assertThat(c.line()).isEqualTo(CHANGED);
            assertThat(c.line()).isNull();
        }
    }

    @Test
    void aDeletedMailboxEndsTheSessionAtItsNextCommand() throws Exception {
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            f.directory.deleteMailbox(alice.id());
            c.send("a STATUS INBOX (MESSAGES)\r\n");
            assertThat(c.line()).isEqualTo("* BYE This mailbox was deleted; logging out");
            assertThat(c.line()).isNull();
        }
    }

    @Test
    void anIdlingSessionIsEndedAtItsNextPollAndReceivesNoMoreMail() throws Exception {
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            assertThat(c.command("a", "SELECT INBOX").getLast()).startsWith("a OK");
            c.send("b IDLE\r\n");
            assertThat(c.line()).isEqualTo("+ idling");
            f.deliver(alice, Folder.INBOX, "Subject: before the reset\n\nstill hers\n");
            assertThat(c.line()).isEqualTo("* 1 EXISTS");
            f.directory.updateMailbox(withPasswordHash(ImapFixture.CHEAP.hash("the admin's new one"), 0));
            f.deliver(alice, Folder.INBOX, "Subject: after the reset\n\nnot for the thief\n");
            assertThat(c.line()).isEqualTo(CHANGED);
            assertThat(c.line()).isNull();
        }
    }

    @Test
    void aChangeThatLeavesThePasswordAloneLeavesTheSessionAlone() throws Exception {
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            f.directory.updateMailbox(withPasswordHash(alice.passwordHash(), 1_000_000));
            assertThat(c.command("a", "NOOP")).containsExactly("a OK NOOP completed");
        }
    }
}

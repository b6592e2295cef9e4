package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * APPEND as a mail client uses it for sent copies and drafts: the message stored exactly as sent
 * (our own X-Sluice-* headers included: no header firewall for the user's own copy), flags and date
 * kept, APPENDUID, the quota counted as for delivery, and a message over the size limit refused
 * before the client sends it.
 */
class ImapAppendTest {

    static final String SENT = "From: alice@a.example\r\nTo: bob@b.example\r\nX-Sluice-Folder: Junk\r\nSubject: hello\r\n\r\nhi Bob\r\n";

    @TempDir
    Path dir;
    ImapFixture f;
    Mailbox alice;
    ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, config -> config.withMessageLimits(2048, ImapServerConfig.FolderLimits.DEFAULT));
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 5000);
        c = f.loggedIn("alice@a.example");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    /** APPEND with a synchronizing literal: waits for "+" before sending the message. */
    private List<String> append(String tag, String args, String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        c.send(tag + " APPEND " + args + " {" + bytes.length + "}\r\n");
        String go = c.line();
        if (!go.startsWith("+")) return List.of(go);
        c.send(bytes).send("\r\n");
        return c.until(tag);
    }

    @Test
    void capabilityAnnouncesUidplusAndTheAppendLimit() throws Exception {
        assertThat(c.command("a", "CAPABILITY").getFirst()).contains(" UIDPLUS ").contains(" APPENDLIMIT=2048");
    }

    @Test
    void aSentCopyIsStoredAsSentWithFlagsDateAndAppendUid() throws Exception {
        List<String> r = append("a", "Sent (\\Seen $Forwarded) \" 5-Nov-2026 10:00:00 +0100\"", SENT);
        assertThat(r).singleElement().asString().matches("a OK \\[APPENDUID \\d+ 1] APPEND completed");
        String validity = c.command("b", "STATUS Sent (UIDVALIDITY)").getFirst();
        assertThat(validity).contains(r.getFirst().split(" ")[3]);

        c.command("c", "SELECT Sent");
        assertThat(c.command("d", "FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE)")).containsExactly(
                "* 1 FETCH (FLAGS (\\Seen) INTERNALDATE \"05-Nov-2026 09:00:00 +0000\" RFC822.SIZE " + SENT.length() + ")",
                "d OK FETCH completed");
        assertThat(c.command("e", "FETCH 1 BODY.PEEK[]").getFirst()).endsWith("{" + SENT.length() + "}\r\n" + SENT + ")");
        assertThat(f.store.mailboxes().usage(alice.id())).isEqualTo(SENT.length());
    }

    @Test
    void literalPlusAndAnAppendToTheSelectedFolderAnnouncesExists() throws Exception {
        c.command("a", "CREATE Drafts/Old");
        c.command("b", "SELECT Drafts/Old");
        c.send("c APPEND Drafts/Old (\\Draft) {" + SENT.length() + "+}\r\n" + SENT + "\r\n");
        List<String> r = c.until("c");
        assertThat(r).hasSize(2);
        assertThat(r.getFirst()).isEqualTo("* 1 EXISTS");
        assertThat(r.getLast()).matches("c OK \\[APPENDUID \\d+ 1] APPEND completed");
        assertThat(c.command("d", "FETCH 1 FLAGS")).containsExactly("* 1 FETCH (FLAGS (\\Draft))", "d OK FETCH completed");
    }

    @Test
    void anAppendOverQuotaIsRefusedAndStoresNothing() throws Exception {
        f.deliver(alice, Folder.INBOX, "Subject: big\n\n" + "x".repeat(4900) + "\n");
        long before = f.store.mailboxes().usage(alice.id());
        assertThat(append("a", "Sent", SENT)).containsExactly("a NO [OVERQUOTA] The mailbox is over its quota");
        assertThat(f.store.mailboxes().usage(alice.id())).isEqualTo(before);
        assertThat(c.command("b", "STATUS Sent (MESSAGES)")).contains("* STATUS Sent (MESSAGES 0)");
    }

    @Test
    void aMessageOverTheSizeLimitIsRefusedBeforeItIsSent() throws Exception {
        // a synchronizing literal: NO instead of "+", and the session goes on
        assertThat(c.command("a", "APPEND Sent {2049}")).containsExactly(
                "a NO [TOOBIG] The message of 2049 octets is larger than the limit of 2048");
        assertThat(c.command("b", "NOOP")).containsExactly("b OK NOOP completed");
        assertThat(append("c", "Sent", "x".repeat(2048 - 2) + "\r\n").getLast()).startsWith("c OK [APPENDUID ");
        // a non-synchronizing one is on its way already and cannot be told from commands: the session ends
        c.send("d APPEND Sent {2049+}\r\n");
        assertThat(c.line()).isEqualTo("* BYE [TOOBIG] The message of 2049 octets is larger than the limit of 2048");
    }

    @Test
    void badAppendsAreRefused() throws Exception {
        assertThat(append("a", "Nowhere", SENT)).containsExactly("a NO [TRYCREATE] No folder Nowhere");
        assertThat(append("b", "Sent \"yesterday\"", SENT)).containsExactly(
                "b BAD the date-time must look like \"28-Nov-2026 15:04:05 +0000\"");
        assertThat(c.command("c", "APPEND Sent (\\Seen) x")).containsExactly("c BAD expected a literal at column 23");
        // a folder deleted meanwhile, by another session
        c.command("d", "CREATE Tmp");
        f.store.mailboxFolders().delete(alice.id(), "Tmp");
        assertThat(append("e", "Tmp", SENT)).containsExactly("e NO [TRYCREATE] No folder Tmp");
    }

    @Test
    void appendUidFollowsTheFoldersCounter() throws Exception {
        f.deliver(alice, Folder.INBOX, "Subject: one\n\n1\n");
        String first = append("a", "Archive", SENT).getLast();
        Matcher m = Pattern.compile("APPENDUID (\\d+) (\\d+)]").matcher(first);
        assertThat(m.find()).isTrue();
        assertThat(m.group(2)).as("Archive's first UID: INBOX's mail takes none of Archive's").isEqualTo("1");
        assertThat(c.command("b", "STATUS Archive (UIDNEXT MESSAGES)")).contains("* STATUS Archive (UIDNEXT 2 MESSAGES 1)");
        assertThat(c.command("c", "STATUS INBOX (UIDNEXT MESSAGES)")).contains("* STATUS INBOX (UIDNEXT 2 MESSAGES 1)");
    }
}

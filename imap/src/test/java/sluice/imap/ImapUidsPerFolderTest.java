package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UIDs are per folder (RFC 9051 section 2.3.1.1): a folder's UIDNEXT changes only when a message is
 * added to that folder, COPY and MOVE take the next UIDs of the target folder, the same UID in two
 * folders names two messages, and appends racing into one folder never share a UID.
 */
class ImapUidsPerFolderTest {

    @TempDir
    Path dir;
    ImapFixture f;
    Mailbox alice;
    ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir);
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "Subject: first\n\none\n");
        f.deliver(alice, Folder.INBOX, "Subject: second\n\ntwo\n");
        f.deliver(alice, Folder.JUNK, "Subject: cheap\n\nbuy\n");
        c = f.loggedIn("alice@a.example");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    @Test
    void statusUidNextOfAFolderStaysWhenAnotherFolderGetsMail() throws Exception {
        assertThat(c.command("a", "STATUS INBOX (UIDNEXT MESSAGES)")).contains("* STATUS INBOX (UIDNEXT 3 MESSAGES 2)");
        f.deliver(alice, Folder.JUNK, "Subject: more\n\nbuy more\n");
        c.command("b", "CREATE Work");
        c.command("c", "SELECT Junk");
        c.command("d", "COPY 1 Work");
        assertThat(c.command("e", "STATUS INBOX (UIDNEXT MESSAGES)")).contains("* STATUS INBOX (UIDNEXT 3 MESSAGES 2)");
        assertThat(c.command("f", "STATUS Junk (UIDNEXT MESSAGES)")).contains("* STATUS Junk (UIDNEXT 3 MESSAGES 2)");
        assertThat(c.command("g", "SELECT INBOX")).contains("* OK [UIDNEXT 3] Predicted next UID");

        f.deliver(alice, Folder.INBOX, "Subject: third\n\nthree\n");
        assertThat(c.command("h", "STATUS Junk (UIDNEXT)")).contains("* STATUS Junk (UIDNEXT 3)");
        assertThat(c.command("i", "NOOP")).contains("* 3 EXISTS");
        assertThat(c.command("j", "FETCH 3 UID")).contains("* 3 FETCH (UID 3)");
    }

    @Test
    void copyAndMoveTakeTheTargetFoldersNextUids() throws Exception {
        c.command("a", "SELECT INBOX");
        assertThat(c.command("b", "UID COPY 1:2 Junk").getLast()).matches("b OK \\[COPYUID \\d+ 1:2 2:3] UID COPY completed");
        assertThat(c.command("c", "STATUS INBOX (UIDNEXT)")).contains("* STATUS INBOX (UIDNEXT 3)");
        c.command("d", "SELECT Junk");
        assertThat(c.command("e", "UID MOVE 1 INBOX").getFirst()).matches("\\* OK \\[COPYUID \\d+ 1 3] Moved");
        assertThat(c.command("f", "UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).containsExactly(
                subject(1, 2, "first"), subject(2, 3, "second"), "f OK UID FETCH completed");
        // UID 1 is in INBOX only now; Junk's UID 1 (moved away) is no message of Junk
        assertThat(c.command("g", "UID FETCH 1 BODY.PEEK[]")).containsExactly("g OK UID FETCH completed");
        c.command("h", "SELECT INBOX");
        assertThat(c.command("i", "UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).containsExactly(
                subject(1, 1, "first"), subject(2, 2, "second"), subject(3, 3, "cheap"), "i OK UID FETCH completed");
    }

    /** A FETCH response line with the Subject header field as its literal, as the client reads it. */
    private static String subject(int seq, int uid, String subject) {
        String field = "Subject: " + subject + "\r\n\r\n";
        return "* " + seq + " FETCH (UID " + uid + " BODY[HEADER.FIELDS (SUBJECT)] {" + field.length() + "}\r\n" + field + ")";
    }

    @Test
    void concurrentAppendsAndDeliveriesToOneFolderGetDistinctUids() throws Exception {
        int clients = 4, each = 10;
        List<Future<List<Long>>> appended = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                int client = i;
                appended.add(pool.submit(() -> appendAll(client, each)));
            }
            pool.submit(() -> {
                for (int i = 0; i < each; i++) f.deliver(alice, Folder.INBOX, "Subject: delivered " + i + "\n\nd\n");
                return null;
            });
        }
        List<Long> uids = new ArrayList<>();
        for (Future<List<Long>> a : appended) uids.addAll(a.get());
        assertThat(uids).hasSize(clients * each).doesNotHaveDuplicates().allMatch(uid -> uid >= 3);

        int total = 2 + clients * each + each;
        assertThat(c.command("a", "STATUS INBOX (UIDNEXT MESSAGES)"))
                .contains("* STATUS INBOX (UIDNEXT " + (total + 1) + " MESSAGES " + total + ")");
        c.command("b", "SELECT INBOX");
        List<String> fetched = c.command("c", "FETCH 1:* UID");
        assertThat(fetched.subList(0, total)).containsExactlyElementsOf(
                LongStream.rangeClosed(1, total).mapToObj(n -> "* " + n + " FETCH (UID " + n + ")").toList());
        assertThat(c.command("d", "STATUS Junk (UIDNEXT)")).contains("* STATUS Junk (UIDNEXT 2)");
    }

    /** Appends {@code count} messages to INBOX over a session of its own; returns their APPENDUIDs. */
    private List<Long> appendAll(int client, int count) throws Exception {
        List<Long> uids = new ArrayList<>();
        Pattern appendUid = Pattern.compile("APPENDUID \\d+ (\\d+)]");
        try (ImapClient session = f.loggedIn("alice@a.example")) {
            for (int i = 0; i < count; i++) {
                byte[] message = ("Subject: appended " + client + "/" + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII);
                session.send("a" + i + " APPEND INBOX {" + message.length + "+}\r\n").send(message).send("\r\n");
                String done = session.until("a" + i).getLast();
                Matcher m = appendUid.matcher(done);
                assertThat(m.find()).as(done).isTrue();
                uids.add(Long.parseLong(m.group(1)));
            }
        }
        return uids;
    }
}

package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parser and the selected state over a real socket and real TLS: literals, sequence sets, bad input. */
class ImapProtocolTest {

    static final String MULTIPART = """
            From: Sam Sender <sam@sender.example>
            To: alice@a.example, "Bob B." <bob@a.example>
            Subject: Notes
            Date: Tue, 7 Oct 2025 10:00:00 +0000
            Message-ID: <m1@sender.example>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            preamble
            --b1
            Content-Type: text/plain; charset=utf-8

            Hello Alice,
            the notes.
            --b1
            Content-Type: application/pdf; name="notes.pdf"
            Content-Disposition: attachment; filename="notes.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --b1--
            """;

    @TempDir
    Path dir;
    ImapFixture f;
    Mailbox alice;
    ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir);
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "From: one@x.example\nSubject: first\n\nbody one\n");
        f.deliver(alice, Folder.INBOX, MULTIPART);
        f.deliver(alice, Folder.INBOX, "Subject: gone\n\nexpunged before the client looks\n");
        var inbox = sluice.core.mailbox.MailboxFolders.Key.of(Folder.INBOX);
        f.store.mailboxFolders().store(alice.id(), inbox, List.of(3L), sluice.core.mailbox.MailboxFolders.FlagChange.ADD,
                java.util.Set.of(sluice.core.mailbox.MailboxFolders.Flag.DELETED));
        f.store.mailboxFolders().expunge(alice.id(), inbox, null); // INBOX's UIDs have a gap: 1, 2, 4
        f.deliver(alice, Folder.JUNK, "From: spam@x.example\nSubject: cheap\n\nbuy\n");
        f.deliver(alice, Folder.INBOX, "From: three@x.example\nSubject: third\n\nbody three\n");
        c = f.loggedIn("alice@a.example");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    @Test
    void listShowsInboxAndTheSpecialUseFolders() throws Exception {
        assertThat(c.command("a", "LIST \"\" \"*\"")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX", "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent", "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash", "* LIST (\\HasNoChildren \\Archive) \"/\" Archive",
                "a OK LIST completed");
        assertThat(c.command("b", "LIST \"\" \"\"")).containsExactly("* LIST (\\Noselect) \"/\" \"\"", "b OK LIST completed");
        assertThat(c.command("c", "LIST (SPECIAL-USE) \"\" *")).hasSize(6).doesNotContain("* LIST (\\HasNoChildren) \"/\" INBOX");
        assertThat(c.command("d", "LSUB \"\" inbox")).containsExactly("* LSUB (\\HasNoChildren) \"/\" INBOX", "d OK LSUB completed");
        assertThat(c.command("e", "STATUS Junk (MESSAGES UNSEEN UIDNEXT)")).containsExactly(
                "* STATUS Junk (MESSAGES 1 UNSEEN 1 UIDNEXT 2)", "e OK STATUS completed");
        assertThat(c.command("f", "CREATE Archive").getLast()).isEqualTo("f NO [ALREADYEXISTS] Archive always exists");
    }

    @Test
    void selectReportsCountsUidsAndFlags() throws Exception {
        List<String> r = c.command("a", "SELECT INBOX");
        assertThat(r.get(0)).isEqualTo("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
        assertThat(r).contains("* 3 EXISTS", "* 0 RECENT", "* OK [UNSEEN 1] First unseen message", "* OK [UIDNEXT 5] Predicted next UID",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)] Flags the client can change");
        assertThat(r).anyMatch(l -> l.matches("\\* OK \\[UIDVALIDITY \\d+] UIDs valid"));
        assertThat(r.getLast()).isEqualTo("a OK [READ-WRITE] SELECT completed");
        assertThat(c.command("b", "EXAMINE Junk").getLast()).isEqualTo("b OK [READ-ONLY] EXAMINE completed");
        assertThat(c.command("c", "STORE 1 +FLAGS (\\Seen)")).containsExactly("c NO [READ-ONLY] The folder was opened with EXAMINE");
        assertThat(c.command("d", "SELECT Nowhere")).containsExactly("d NO [NONEXISTENT] No folder Nowhere");
        assertThat(c.command("e", "FETCH 1 FLAGS")).containsExactly("e BAD Select a folder first");
    }

    @Test
    void sequenceSetsWithStarRangesAndUids() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("a", "FETCH 2:* (UID)")).containsExactly("* 2 FETCH (UID 2)", "* 3 FETCH (UID 4)", "a OK FETCH completed");
        assertThat(c.command("b", "FETCH *:1 UID")).containsExactly(
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 4)", "b OK FETCH completed");
        assertThat(c.command("c", "UID FETCH 3:* FLAGS")).containsExactly("* 3 FETCH (UID 4 FLAGS ())", "c OK UID FETCH completed");
        // n:* with n past the largest UID still names the largest (RFC 9051 section 6.4.8)
        assertThat(c.command("d", "UID FETCH 9:* FLAGS")).containsExactly("* 3 FETCH (UID 4 FLAGS ())", "d OK UID FETCH completed");
        assertThat(c.command("e", "FETCH 1,3 RFC822.SIZE")).containsExactly(
                "* 1 FETCH (RFC822.SIZE 49)", "* 3 FETCH (RFC822.SIZE 53)", "e OK FETCH completed");
        assertThat(c.command("f", "FETCH 0 FLAGS")).containsExactly("f BAD sequence numbers run from 1 to 4294967295, not 0");
        assertThat(c.command("g", "FETCH 1:x FLAGS")).containsExactly("g BAD bad sequence number: 'x'");
        assertThat(c.command("h", "FETCH 1 (FLAGS")).containsExactly("h BAD unterminated list of fetch items");
        assertThat(c.command("i", "FETCH 1 BODY[FOO]")).containsExactly("i BAD unknown section FOO");
        assertThat(c.command("j", "SEARCH 2:3")).containsExactly("* SEARCH 2 3", "j OK SEARCH completed");
        assertThat(c.command("k", "FETCH 3,1,1,2:1,1 UID")).containsExactly(
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 4)", "k OK FETCH completed");
        assertThat(c.command("l", "UID SEARCH UID 4,1:2,9:*")).containsExactly("* SEARCH 1 2 4", "l OK UID SEARCH completed");
    }

    @Test
    void literalsSynchronizingAndNonSynchronizingWithTheirCaps() throws Exception {
        c.send("a STATUS {5}\r\n");
        assertThat(c.line()).isEqualTo("+ Ready for literal data");
        assertThat(c.send("INBOX (MESSAGES)\r\n").until("a")).containsExactly("* STATUS INBOX (MESSAGES 3)", "a OK STATUS completed");
        assertThat(c.send("b STATUS {4+}\r\nJunk (MESSAGES)\r\n").until("b")).containsExactly("* STATUS Junk (MESSAGES 1)", "b OK STATUS completed");
        assertThat(c.command("c", "STATUS {999999}")).containsExactly("c BAD [TOOBIG] literal of 999999 octets is over the limit of 65536");
        assertThat(c.command("d", "X".repeat(70_000))).containsExactly("d BAD line is longer than 65536 octets");
        assertThat(c.command("e", "NOOP")).containsExactly("e OK NOOP completed");
        c.send("f STATUS {999999+}\r\n");
        assertThat(c.line()).isEqualTo("* BYE literal of 999999 octets is over the limit of 65536");
        assertThat(c.line()).isNull();
    }

    @Test
    void malformedCommandsGetBadAndTheSessionGoesOn() throws Exception {
        assertThat(c.command("a", "FROB")).containsExactly("a BAD Unknown command FROB");
        assertThat(c.command("b", "LOGIN")).containsExactly("b BAD Already logged in".equals("") ? "" : "b BAD missing arguments");
        c.send("\r\n");
        assertThat(c.line()).isEqualTo("* BAD empty command line");
        c.send("(bad) NOOP\r\n");
        assertThat(c.line()).isEqualTo("* BAD the command must start with a tag");
        assertThat(c.command("c", "STATUS \"INBOX (MESSAGES)")).containsExactly("c BAD unterminated quoted string");
        assertThat(c.command("d", "SELECT INBOX extra")).containsExactly("d BAD expected '(' at column 16");
        assertThat(c.command("e", "SEARCH FROB")).containsExactly("e BAD Select a folder first");
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "SEARCH FROB")).containsExactly("f BAD unknown search key FROB");
        assertThat(c.command("g", "SEARCH SINCE yesterday")).containsExactly("g BAD dates are written like 1-Feb-2025, not yesterday");
        assertThat(c.command("h", "SEARCH CHARSET KOI8-R ALL")).containsExactly("h NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8-R");
        assertThat(c.command("i", "STORE 1 FLAGS.LOUD (\\Seen)")).containsExactly("i BAD STORE takes FLAGS, +FLAGS or -FLAGS, optionally .SILENT");
        assertThat(c.command("j", "UID CLOSE")).containsExactly("j BAD UID CLOSE does not exist");
        assertThat(c.command("k", "NOOP")).containsExactly("k OK NOOP completed");
    }

    @Test
    void fetchReturnsEnvelopeStructureAndSectionsOfAMultipartMessage() throws Exception {
        c.command("s", "SELECT INBOX");
        List<String> r = c.command("a", "FETCH 2 (ENVELOPE BODYSTRUCTURE)");
        assertThat(r.getFirst()).isEqualTo("* 2 FETCH (ENVELOPE (\"Tue, 7 Oct 2025 10:00:00 +0000\" \"Notes\" "
                + "((\"Sam Sender\" NIL \"sam\" \"sender.example\")) ((\"Sam Sender\" NIL \"sam\" \"sender.example\")) "
                + "((\"Sam Sender\" NIL \"sam\" \"sender.example\")) ((NIL NIL \"alice\" \"a.example\")(\"Bob B.\" NIL \"bob\" \"a.example\")) "
                + "NIL NIL NIL \"<m1@sender.example>\") "
                + "BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 24 2 NIL NIL NIL NIL)"
                + "(\"APPLICATION\" \"PDF\" (\"NAME\" \"notes.pdf\") NIL NIL \"BASE64\" 12 NIL (\"attachment\" (\"FILENAME\" \"notes.pdf\")) NIL NIL) "
                + "\"MIXED\" (\"BOUNDARY\" \"b1\") NIL NIL NIL))");
        assertThat(c.command("b", "FETCH 2 BODY.PEEK[1]")).containsExactly(
                "* 2 FETCH (BODY[1] {24}\r\nHello Alice,\r\nthe notes.)", "b OK FETCH completed");
        assertThat(c.command("c", "FETCH 2 BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]")).containsExactly(
                "* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] {57}\r\nFrom: Sam Sender <sam@sender.example>\r\nSubject: Notes\r\n\r\n)",
                "c OK FETCH completed");
        assertThat(c.command("d", "FETCH 2 BODY.PEEK[2.MIME]<0.24>")).containsExactly(
                "* 2 FETCH (BODY[2.MIME]<0> {24}\r\nContent-Type: applicatio)", "d OK FETCH completed");
        assertThat(c.command("e", "FETCH 1 (BODY.PEEK[TEXT] FLAGS)")).containsExactly(
                "* 1 FETCH (BODY[TEXT] {10}\r\nbody one\r\n FLAGS ())", "e OK FETCH completed");
        // BODY[] without PEEK sets \Seen and says so
        assertThat(c.command("f", "FETCH 1 BODY[HEADER]")).containsExactly(
                "* 1 FETCH (BODY[HEADER] {39}\r\nFrom: one@x.example\r\nSubject: first\r\n\r\n FLAGS (\\Seen))", "f OK FETCH completed");
        assertThat(c.command("g", "FETCH 1 FLAGS")).containsExactly("* 1 FETCH (FLAGS (\\Seen))", "g OK FETCH completed");
        assertThat(c.command("h", "FETCH 1 BODY.PEEK[3]")).containsExactly("* 1 FETCH (BODY[3] NIL)", "h OK FETCH completed");
    }

    @Test
    void bodyAskedForAfterBodyPeekStillSetsSeen() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("a", "FETCH 1 (BODY.PEEK[] BODY[])")).containsExactly(
                "* 1 FETCH (BODY[] {49}\r\nFrom: one@x.example\r\nSubject: first\r\n\r\nbody one\r\n FLAGS (\\Seen))",
                "a OK FETCH completed");
        assertThat(c.command("b", "FETCH 1 FLAGS")).containsExactly("* 1 FETCH (FLAGS (\\Seen))", "b OK FETCH completed");
    }

    @Test
    void storeSearchMoveAndExpungeKeepSequenceNumbersAndQuotaRight() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("a", "STORE 1:2 +FLAGS (\\Seen \\Flagged)")).containsExactly(
                "* 1 FETCH (FLAGS (\\Seen \\Flagged))", "* 2 FETCH (FLAGS (\\Seen \\Flagged))", "a OK STORE completed");
        assertThat(c.command("b", "UID STORE 2 -FLAGS.SILENT (\\Flagged)")).containsExactly("b OK UID STORE completed");
        assertThat(c.command("c", "SEARCH UNSEEN")).containsExactly("* SEARCH 3", "c OK SEARCH completed");
        assertThat(c.command("d", "UID SEARCH FLAGGED")).containsExactly("* SEARCH 1", "d OK UID SEARCH completed");
        assertThat(c.command("e", "SEARCH FROM sam SUBJECT notes")).containsExactly("* SEARCH 2", "e OK SEARCH completed");
        assertThat(c.command("f", "SEARCH OR FROM three NOT SEEN SINCE 1-Jan-2000")).containsExactly("* SEARCH 3", "f OK SEARCH completed");
        assertThat(c.command("g", "SEARCH BEFORE 1-Jan-2000")).containsExactly("* SEARCH", "g OK SEARCH completed");
        assertThat(c.command("h", "UID SEARCH UID 2:4 BODY notes")).containsExactly("* SEARCH 2", "h OK UID SEARCH completed");

        List<String> moved = c.command("i", "MOVE 1 Junk");
        assertThat(moved).hasSize(3).endsWith("* 1 EXPUNGE", "i OK MOVE completed");
        assertThat(moved.getFirst()).matches("\\* OK \\[COPYUID \\d+ 1 2] Moved");
        assertThat(c.command("j", "FETCH 1:* UID")).containsExactly("* 1 FETCH (UID 2)", "* 2 FETCH (UID 4)", "j OK FETCH completed");
        assertThat(c.command("k", "STATUS Junk (MESSAGES UIDNEXT)")).containsExactly("* STATUS Junk (MESSAGES 2 UIDNEXT 3)", "k OK STATUS completed");

        long before = f.store.mailboxes().usage(alice.id());
        long size = f.store.mailboxFolders().folder(alice.id(), sluice.core.mailbox.MailboxFolders.Key.of(Folder.INBOX)).messages().getLast().size();
        c.command("l", "STORE 2 +FLAGS.SILENT (\\Deleted)");
        assertThat(c.command("m", "EXPUNGE")).containsExactly("* 2 EXPUNGE", "m OK EXPUNGE completed");
        assertThat(f.store.mailboxes().usage(alice.id())).isEqualTo(before - size);
        assertThat(c.command("n", "COPY 1 Junk")).singleElement().asString().matches("n OK \\[COPYUID \\d+ 2 3] COPY completed");
        assertThat(c.command("o", "COPY 1 Nowhere")).containsExactly("o NO [TRYCREATE] No folder Nowhere");
    }

    @Test
    void newMailWhileSelectedGetsTheNextUidAndIsAnnouncedOnNoopAndInIdle() throws Exception {
        c.command("s", "SELECT INBOX");
        f.deliver(alice, Folder.INBOX, "Subject: fourth\n\nfour\n");
        assertThat(c.command("a", "NOOP")).containsExactly("* 4 EXISTS", "a OK NOOP completed");
        assertThat(c.command("b", "FETCH 4 UID")).containsExactly("* 4 FETCH (UID 5)", "b OK FETCH completed");

        c.send("c IDLE\r\n");
        assertThat(c.line()).isEqualTo("+ idling");
        f.deliver(alice, Folder.INBOX, "Subject: fifth\n\nfive\n");
        assertThat(c.line()).isEqualTo("* 5 EXISTS");
        // another session expunges: IDLE may say so at once
        f.store.mailboxFolders().store(alice.id(), sluice.core.mailbox.MailboxFolders.Key.of(Folder.INBOX), List.of(1L), sluice.core.mailbox.MailboxFolders.FlagChange.ADD,
                java.util.Set.of(sluice.core.mailbox.MailboxFolders.Flag.DELETED));
        assertThat(c.line()).isEqualTo("* 1 FETCH (FLAGS (\\Deleted))");
        f.store.mailboxFolders().expunge(alice.id(), sluice.core.mailbox.MailboxFolders.Key.of(Folder.INBOX), null);
        assertThat(c.line()).isEqualTo("* 1 EXPUNGE");
        assertThat(c.send("DONE\r\n").until("c")).containsExactly("c OK IDLE terminated");
        assertThat(c.command("d", "FETCH 1:* UID")).containsExactly(
                "* 1 FETCH (UID 2)", "* 2 FETCH (UID 4)", "* 3 FETCH (UID 5)", "* 4 FETCH (UID 6)", "d OK FETCH completed");
    }

    @Test
    void logoutSaysByeFirst() throws Exception {
        assertThat(c.command("z", "LOGOUT")).containsExactly("* BYE imap.sluice.test logging out", "z OK LOGOUT completed");
        assertThat(c.line()).isNull();
    }
}

package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Folders a user makes over IMAP: CREATE with its missing parents, LIST and LSUB with wildcards and
 * children attributes, subscriptions, DELETE (messages and quota released, \Noselect when children
 * remain), RENAME with children, UIDs and UIDVALIDITY kept, and the limits an administrator relies on
 * (name length, depth, folders per mailbox) refused with NO [LIMIT].
 */
class ImapFoldersTest {

    @TempDir
    Path dir;
    ImapFixture f;
    Mailbox alice;
    ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, config -> config.withMessageLimits(64 * 1024, new ImapServerConfig.FolderLimits(40, 3, 6)));
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "From: one@x.example\nSubject: first\n\nbody one\n");
        f.deliver(alice, Folder.INBOX, "From: two@x.example\nSubject: second\n\nbody two\n");
        c = f.loggedIn("alice@a.example");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    private List<String> userFolders(String tag, String command) throws Exception {
        return c.command(tag, command).stream()
                .filter(l -> !l.matches("\\* (LIST|LSUB) .* (INBOX|Junk|Sent|Drafts|Trash|Archive)")).toList();
    }

    @Test
    void createMakesMissingParentsAndListShowsTheHierarchy() throws Exception {
        assertThat(c.command("a", "CREATE Projects/2026/Q1")).containsExactly("a OK CREATE completed");
        assertThat(userFolders("b", "LIST \"\" *")).containsExactly(
                "* LIST (\\HasChildren) \"/\" Projects", "* LIST (\\HasChildren) \"/\" Projects/2026",
                "* LIST (\\HasNoChildren) \"/\" Projects/2026/Q1", "b OK LIST completed");
        assertThat(userFolders("c", "LIST \"\" %")).containsExactly("* LIST (\\HasChildren) \"/\" Projects", "c OK LIST completed");
        assertThat(c.command("d", "LIST Projects/ %")).containsExactly("* LIST (\\HasChildren) \"/\" Projects/2026", "d OK LIST completed");
        assertThat(c.command("e", "CREATE Projects")).containsExactly("e NO [ALREADYEXISTS] The folder Projects exists");
        assertThat(c.command("f", "CREATE sent")).containsExactly("f NO [ALREADYEXISTS] Sent always exists");

        // below INBOX and the special-use folders; the first level in any case means them
        assertThat(c.command("g", "CREATE archive/2025")).containsExactly("g OK CREATE completed");
        assertThat(c.command("h", "LIST \"\" Archive*")).containsExactly("* LIST (\\HasChildren \\Archive) \"/\" Archive",
                "* LIST (\\HasNoChildren) \"/\" Archive/2025", "h OK LIST completed");
        // modified UTF-7 is kept as sent; a name with a space comes back quoted
        assertThat(c.command("i", "CREATE \"&AMQ-pfel und Birnen\"")).containsExactly("i OK CREATE completed");
        assertThat(c.command("j", "LIST \"\" &*")).containsExactly("* LIST (\\HasNoChildren) \"/\" \"&AMQ-pfel und Birnen\"", "j OK LIST completed");
        assertThat(c.command("k", "STATUS \"&AMQ-pfel und Birnen\" (MESSAGES)"))
                .containsExactly("* STATUS \"&AMQ-pfel und Birnen\" (MESSAGES 0)", "k OK STATUS completed");
    }

    @Test
    void subscriptionsAreKeptPerMailboxAndLsubListsThem() throws Exception {
        c.command("a", "CREATE Work");
        assertThat(userFolders("b", "LSUB \"\" *")).containsExactly("b OK LSUB completed");
        assertThat(c.command("c", "LSUB \"\" Sent")).containsExactly("* LSUB (\\HasNoChildren \\Sent) \"/\" Sent", "c OK LSUB completed");
        assertThat(c.command("d", "SUBSCRIBE Work")).containsExactly("d OK SUBSCRIBE completed");
        assertThat(userFolders("e", "LSUB \"\" *")).containsExactly("* LSUB (\\HasNoChildren) \"/\" Work", "e OK LSUB completed");
        try (ImapClient other = f.loggedIn("alice@a.example")) {
            assertThat(other.command("f", "LSUB \"\" W*")).containsExactly("* LSUB (\\HasNoChildren) \"/\" Work", "f OK LSUB completed");
        }
        // % stops at a level whose child only is subscribed: that level is named, \Noselect (RFC 3501 section 6.3.9)
        c.command("f2", "CREATE Clients/Acme");
        c.command("f3", "SUBSCRIBE Clients/Acme");
        assertThat(userFolders("f4", "LSUB \"\" %")).containsExactly(
                "* LSUB (\\HasNoChildren) \"/\" Work", "* LSUB (\\Noselect) \"/\" Clients", "f4 OK LSUB completed");
        c.command("f5", "UNSUBSCRIBE Clients/Acme");
        assertThat(c.command("g", "SUBSCRIBE Nowhere")).containsExactly("g NO [NONEXISTENT] No folder Nowhere");
        assertThat(c.command("h", "UNSUBSCRIBE Work")).containsExactly("h OK UNSUBSCRIBE completed");
        assertThat(userFolders("i", "LSUB \"\" *")).containsExactly("i OK LSUB completed");
    }

    @Test
    void badNamesAndLimitsAreRefused() throws Exception {
        assertThat(c.command("a", "CREATE {6}\r\n\u00c4rger").getLast()) // 8-bit: UTF-8 instead of modified UTF-7
                .isEqualTo("a NO [CANNOT] Folder names are written in modified UTF-7 (RFC 3501 section 5.1.3), not 8-bit or control characters");
        assertThat(c.command("b", "CREATE \"a*b\"")).containsExactly("b NO [CANNOT] A folder name must not contain the wildcards * and %");
        assertThat(c.command("c", "CREATE x//y")).containsExactly("c NO [CANNOT] A folder name must not begin or end with / or have an empty level");
        for (String bad : List.of("&Jjo", "&AGE-", "&2D3-", "&Jj*-")) {
            assertThat(c.command("d", "CREATE \"" + bad + "\"").getLast()).as(bad).startsWith("d NO [CANNOT] ");
        }
        assertThat(c.command("e", "CREATE " + "n".repeat(41))).containsExactly("e NO [LIMIT] A folder name may have at most 40 octets");
        assertThat(c.command("f", "CREATE a/b/c/d")).containsExactly("f NO [LIMIT] Folders may be nested at most 3 levels deep");
        assertThat(c.command("g", "CREATE a/b/c")).containsExactly("g OK CREATE completed");
        assertThat(c.command("h", "CREATE one")).containsExactly("h OK CREATE completed");
        assertThat(c.command("i", "CREATE two")).containsExactly("i OK CREATE completed");
        assertThat(c.command("j", "CREATE three/four")).containsExactly("j NO [LIMIT] A mailbox may have at most 6 folders");
        assertThat(userFolders("k", "LIST \"\" th*")).as("nothing of the refused CREATE").containsExactly("k OK LIST completed");
        assertThat(c.command("l", "CREATE three")).containsExactly("l OK CREATE completed");
        assertThat(c.command("m", "CREATE four")).containsExactly("m NO [LIMIT] A mailbox may have at most 6 folders");
    }

    @Test
    void listPatternsLongerThanTwiceTheNameLimitAreRefused() throws Exception {
        c.command("a", "CREATE Projects");
        assertThat(c.command("b", "LIST \"\" " + "%".repeat(77) + "cts")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" Projects", "b OK LIST completed");
        assertThat(c.command("c", "LIST \"\" " + "%".repeat(78) + "cts")).containsExactly(
                "c NO [LIMIT] a LIST reference and pattern may have at most 80 characters together");
        assertThat(c.command("d", "LIST Pro " + "%".repeat(75) + "cts")).containsExactly(
                "d NO [LIMIT] a LIST reference and pattern may have at most 80 characters together");
        assertThat(c.command("e", "LIST \"\" (P* " + "*".repeat(81) + ")")).containsExactly(
                "e NO [LIMIT] a LIST reference and pattern may have at most 80 characters together");
    }

    @Test
    void deleteRemovesTheMessagesReleasesQuotaAndKeepsANameWithChildrenAsNoselect() throws Exception {
        c.command("a", "CREATE Old/Keep");
        c.command("b", "SELECT INBOX");
        long before = f.store.mailboxes().usage(alice.id());
        c.command("c", "COPY 1:2 Old");
        assertThat(f.store.mailboxes().usage(alice.id())).isGreaterThan(before);

        assertThat(c.command("d", "DELETE Old")).containsExactly("d OK DELETE completed");
        assertThat(f.store.mailboxes().usage(alice.id())).isEqualTo(before);
        assertThat(userFolders("e", "LIST \"\" Old*")).containsExactly(
                "* LIST (\\Noselect \\HasChildren) \"/\" Old", "* LIST (\\HasNoChildren) \"/\" Old/Keep", "e OK LIST completed");
        assertThat(c.command("f", "SELECT Old")).containsExactly("f NO [NONEXISTENT] No folder Old");
        assertThat(c.command("g", "DELETE Old")).containsExactly("g NO [CANNOT] The folder Old has only its subfolders left; delete them first");
        assertThat(c.command("h", "DELETE Old/Keep")).containsExactly("h OK DELETE completed");
        assertThat(c.command("i", "DELETE Old")).containsExactly("i OK DELETE completed");
        assertThat(userFolders("j", "LIST \"\" *")).containsExactly("j OK LIST completed");

        assertThat(c.command("k", "DELETE Nowhere")).containsExactly("k NO [NONEXISTENT] No folder Nowhere");
        for (String special : List.of("INBOX", "Junk", "Sent", "Drafts", "Trash", "Archive", "inbox")) {
            assertThat(c.command("l", "DELETE " + special)).as(special)
                    .containsExactly("l NO [CANNOT] INBOX and the special-use folders cannot be deleted");
        }
    }

    @Test
    void deletingTheSelectedFolderLeavesNothingSelected() throws Exception {
        c.command("a", "CREATE Tmp");
        c.command("b", "SELECT Tmp");
        assertThat(c.command("c", "DELETE Tmp")).containsExactly("c OK DELETE completed");
        assertThat(c.command("d", "FETCH 1 FLAGS")).containsExactly("d BAD Select a folder first");
    }

    @Test
    void renameMovesChildrenAndKeepsMessagesUidsAndUidValidity() throws Exception {
        c.command("a", "CREATE Clients/Acme");
        c.command("b", "SUBSCRIBE Clients/Acme");
        c.command("c", "SELECT INBOX");
        c.command("d", "COPY 2 Clients/Acme");
        String status = c.command("e", "STATUS Clients/Acme (MESSAGES UIDVALIDITY UIDNEXT)").getFirst();

        assertThat(c.command("f", "RENAME Clients Customers")).containsExactly("f OK RENAME completed");
        assertThat(userFolders("g", "LIST \"\" *")).containsExactly("* LIST (\\HasChildren) \"/\" Customers",
                "* LIST (\\HasNoChildren) \"/\" Customers/Acme", "g OK LIST completed");
        assertThat(c.command("h", "STATUS Customers/Acme (MESSAGES UIDVALIDITY UIDNEXT)").getFirst())
                .isEqualTo(status.replace("Clients/Acme", "Customers/Acme"));
        assertThat(userFolders("i", "LSUB \"\" *")).containsExactly("* LSUB (\\HasNoChildren) \"/\" Customers/Acme", "i OK LSUB completed");
        c.command("j", "EXAMINE Customers/Acme");
        assertThat(c.command("k", "UID FETCH 1:* BODY.PEEK[HEADER.FIELDS (SUBJECT)]").getFirst()).contains("Subject: second");

        // RENAME into a deeper place creates the missing levels
        assertThat(c.command("l", "RENAME Customers/Acme Archive/Acme")).containsExactly("l OK RENAME completed");
        assertThat(c.command("m", "STATUS Archive/Acme (MESSAGES)")).contains("* STATUS Archive/Acme (MESSAGES 1)");

        assertThat(c.command("n", "RENAME INBOX Old")).containsExactly(
                "n NO [CANNOT] INBOX and the special-use folders cannot be renamed; move the messages instead");
        assertThat(c.command("o", "RENAME Trash Bin")).containsExactly("o NO [CANNOT] INBOX and the special-use folders cannot be renamed");
        assertThat(c.command("p", "RENAME Customers Junk")).containsExactly("p NO [ALREADYEXISTS] Junk always exists");
        assertThat(c.command("q", "RENAME Customers Customers/Sub")).containsExactly("q NO [CANNOT] A folder cannot be renamed into itself");
        assertThat(c.command("r", "RENAME Nowhere Somewhere")).containsExactly("r NO [NONEXISTENT] No folder Nowhere");
        c.command("s", "CREATE Other");
        assertThat(c.command("t", "RENAME Customers Other")).containsExactly("t NO [ALREADYEXISTS] The folder Other exists");
        c.command("u", "CREATE Deep/Er");
        assertThat(c.command("v", "RENAME Deep Other/X/Deep")).containsExactly("v NO [LIMIT] Folders may be nested at most 3 levels deep");
    }

    /** RFC 3501 section 2.3.1.1: a folder deleted and created again must not reuse a UIDVALIDITY. */
    @Test
    void aFolderCreatedAgainHasANewUidValidity() throws Exception {
        c.command("a", "CREATE Reports");
        c.command("b", "SELECT INBOX");
        c.command("c", "COPY 1 Reports");
        long first = validity(c.command("d", "STATUS Reports (UIDVALIDITY)").getFirst());
        long inbox = validity(c.command("e", "STATUS INBOX (UIDVALIDITY)").getFirst());
        c.command("f", "DELETE Reports");
        c.command("g", "CREATE Reports");
        long second = validity(c.command("h", "STATUS Reports (UIDVALIDITY MESSAGES)").getFirst());
        assertThat(second).isGreaterThan(first).isNotEqualTo(inbox);
        assertThat(first).isNotEqualTo(inbox);
        // and a folder renamed into the deleted name keeps its own, different one
        c.command("i", "CREATE Elsewhere");
        long elsewhere = validity(c.command("j", "STATUS Elsewhere (UIDVALIDITY)").getFirst());
        c.command("k", "DELETE Reports");
        c.command("l", "RENAME Elsewhere Reports");
        assertThat(validity(c.command("m", "STATUS Reports (UIDVALIDITY)").getFirst())).isEqualTo(elsewhere).isNotIn(first, second);
    }

    private static long validity(String status) {
        Matcher m = Pattern.compile("UIDVALIDITY (\\d+)").matcher(status);
        assertThat(m.find()).as(status).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void copyAndMoveIntoUserFoldersAnswerWithCopyUid() throws Exception {
        c.command("a", "CREATE Work");
        c.command("b", "SELECT INBOX");
        List<String> moved = c.command("c", "UID MOVE 1:2 Work");
        assertThat(moved.getFirst()).matches("\\* OK \\[COPYUID \\d+ 1:2 1:2] Moved");
        assertThat(moved.subList(1, moved.size())).containsExactly("* 2 EXPUNGE", "* 1 EXPUNGE", "c OK UID MOVE completed");
        c.command("d", "SELECT Work");
        assertThat(c.command("e", "UID FETCH 1:* FLAGS")).containsExactly("* 1 FETCH (UID 1 FLAGS ())", "* 2 FETCH (UID 2 FLAGS ())",
                "e OK UID FETCH completed");
        assertThat(c.command("f", "COPY 1 Trash").getFirst()).matches("f OK \\[COPYUID \\d+ 1 1] COPY completed");
        assertThat(c.command("g", "COPY 1 Gone")).containsExactly("g NO [TRYCREATE] No folder Gone");
    }
}

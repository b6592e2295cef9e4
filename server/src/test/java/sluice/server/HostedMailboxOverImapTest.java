package sluice.server;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.search.FlagTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real IMAP client (Eclipse Angus Mail) against a whole node: mail delivered over SMTP to a hosted
 * mailbox is listed, read (envelope, body, multipart structure), flagged, searched, moved to Junk
 * and expunged, and the mailbox's usage drops. The same local part in another organization's domain
 * logs in to its own mailbox only. A client keeps a sent copy in Sent, makes a folder of its own
 * and files mail into it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostedMailboxOverImapTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    Node node;
    Admin admin;
    String contosoMailbox;
    String fabrikamMailbox;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        node = Node.start(TestNodes.config(dataDir, null, 9, Map.of())
                .withImap(new NodeConfig.Listener("127.0.0.1", 0), null));
        admin = TestNodes.admin(node);
        String contoso = admin.createOrganization("Contoso");
        admin.createDomain(contoso, "contoso.example", "Authoritative");
        contosoMailbox = admin.createMailbox(contoso, "user@contoso.example");
        String fabrikam = admin.createOrganization("Fabrikam");
        admin.createDomain(fabrikam, "fabrikam.example", "Authoritative");
        fabrikamMailbox = admin.createMailbox(fabrikam, "user@fabrikam.example");

        try (SmtpTalk smtp = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            smtp.ehlo("mail.partner.example");
            assertThat(smtp.send("sam@partner.example", List.of("user@contoso.example"), message("Meeting notes", plain())))
                    .startsWith("250");
            assertThat(smtp.send("sam@partner.example", List.of("user@contoso.example"), message("Network plan", multipart())))
                    .startsWith("250");
            assertThat(smtp.send("sam@partner.example", List.of("user@fabrikam.example"), message("For Fabrikam only", plain())))
                    .startsWith("250");
        }
        Poll.until(WAIT, "three deliveries", () -> node.mailboxStore().list(contosoMailbox, MailboxStore.Folder.INBOX).size()
                + node.mailboxStore().list(fabrikamMailbox, MailboxStore.Folder.INBOX).size(), n -> n == 3);
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    private static byte[] message(String subject, String mime) {
        return ("From: Sam <sam@partner.example>\r\nTo: <user@contoso.example>\r\nSubject: " + subject + "\r\n"
                + "Date: Tue, 7 Oct 2025 10:00:00 +0000\r\nMessage-ID: <" + subject.hashCode() + "@partner.example>\r\n"
                + mime).getBytes(StandardCharsets.UTF_8);
    }

    private static String plain() {
        return "\r\n" + TestNodes.ORDINARY_BODY;
    }

    private static String multipart() {
        return "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"sep\"\r\n\r\n"
                + "--sep\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + TestNodes.ORDINARY_BODY
                + "--sep\r\nContent-Type: text/csv; name=\"plan.csv\"\r\nContent-Disposition: attachment; filename=\"plan.csv\"\r\n\r\n"
                + "switch,port\r\ncore-1,48\r\n--sep--\r\n";
    }

    private Store connect(String user) throws Exception {
        Properties p = new Properties();
        p.put("mail.imap.starttls.enable", "true");
        p.put("mail.imap.starttls.required", "true");
        // The node's self-signed certificate names mx.sluice.test, and the test connects to 127.0.0.1.
        p.put("mail.imap.ssl.trust", "*");
        p.put("mail.imap.ssl.checkserveridentity", "false");
        p.put("mail.imap.peek", "true");  // reading does not mark seen; the test sets \Seen itself
        p.put("mail.imap.connectiontimeout", "10000");
        p.put("mail.imap.timeout", "10000");
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", node.imapPort(), user, Admin.PASSWORD);
        return store;
    }

    @Test
    void aMailClientListsReadsFlagsSearchesMovesAndExpungesHostedMail() throws Exception {
        Store store = connect("user@contoso.example");
        try {
            Folder[] folders = store.getDefaultFolder().list("*");
            assertThat(Arrays.stream(folders).map(Folder::getFullName)).containsExactly("INBOX", "Junk", "Sent", "Drafts", "Trash", "Archive");
            assertThat(((IMAPFolder) folders[1]).getAttributes()).contains("\\Junk");

            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            assertThat(messages).hasSize(2);
            Message notes = messages[0];
            Message plan = messages[1];
            assertThat(notes.getSubject()).isEqualTo("Meeting notes");
            assertThat(((InternetAddress) notes.getFrom()[0]).getAddress()).isEqualTo("sam@partner.example");
            assertThat((String) notes.getContent()).contains("network upgrade on Tuesday");

            assertThat(plan.getSubject()).isEqualTo("Network plan");
            Multipart parts = (Multipart) plan.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat((String) parts.getBodyPart(0).getContent()).contains("network upgrade");
            assertThat(parts.getBodyPart(1).getDisposition()).isEqualTo(Part.ATTACHMENT);
            assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("plan.csv");
            assertThat(parts.getBodyPart(1).getContentType()).startsWith("TEXT/CSV");

            plan.setFlag(Flags.Flag.SEEN, true);
            Message[] unseen = inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
            assertThat(unseen).extracting(Message::getSubject).containsExactly("Meeting notes");

            IMAPFolder junk = (IMAPFolder) store.getFolder("Junk");
            inbox.moveMessages(new Message[]{notes}, junk);
            assertThat(notes.isExpunged()).isTrue(); // the server said * 1 EXPUNGE
            assertThat(store.getFolder("INBOX").getMessageCount()).isEqualTo(1); // a closed folder asks STATUS
            junk.open(Folder.READ_ONLY);
            assertThat(Arrays.stream(junk.getMessages()).map(m -> {
                try {
                    return m.getSubject();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })).contains("Meeting notes");
            junk.close(false);

            long before = admin.mailboxUsage(contosoMailbox);
            long planSize = plan.getSize();
            plan.setFlag(Flags.Flag.DELETED, true);
            assertThat(inbox.expunge()).contains(plan); // with notes, which MOVE had expunged already
            assertThat(store.getFolder("INBOX").getMessageCount()).isZero();
            assertThat(admin.mailboxUsage(contosoMailbox)).isEqualTo(before - planSize);
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    @Test
    void theSameLocalPartInAnotherOrganizationSeesOnlyItsOwnMail() throws Exception {
        Store store = connect("user@fabrikam.example");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessages()).extracting(Message::getSubject).containsExactly("For Fabrikam only");
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    @Test
    void aMailClientKeepsASentCopyMakesAFolderAndFilesMailIntoIt() throws Exception {
        String northwind = admin.createOrganization("Northwind");
        admin.createDomain(northwind, "northwind.example", "Authoritative");
        String mailbox = admin.createMailbox(northwind, "user@northwind.example");
        try (SmtpTalk smtp = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            smtp.ehlo("mail.partner.example");
            assertThat(smtp.send("sam@partner.example", List.of("user@northwind.example"), message("Invoice 42", plain())))
                    .startsWith("250");
        }
        Poll.until(WAIT, "the delivery", () -> node.mailboxStore().list(mailbox, MailboxStore.Folder.INBOX).size(), n -> n == 1);

        Store store = connect("user@northwind.example");
        try {
            Session session = Session.getInstance(new Properties());
            jakarta.mail.internet.MimeMessage sent = new jakarta.mail.internet.MimeMessage(session);
            sent.setFrom("user@northwind.example");
            sent.setRecipients(Message.RecipientType.TO, "sam@partner.example");
            sent.setSubject("Re: Invoice 42");
            sent.setText("Paid today.");
            sent.setFlag(Flags.Flag.SEEN, true);
            IMAPFolder sentFolder = (IMAPFolder) store.getFolder("Sent");
            assertThat(sentFolder.getAttributes()).contains("\\Sent");
            jakarta.mail.internet.MimeMessage[] copies = {sent};
            // with UIDPLUS, Angus reads the new UID from the APPENDUID response
            assertThat(sentFolder.appendUIDMessages(copies)).hasSize(1).allSatisfy(uid -> assertThat(uid).isNotNull());

            Folder invoices = store.getFolder("Accounts/Invoices");
            assertThat(invoices.exists()).isFalse();
            assertThat(invoices.create(Folder.HOLDS_MESSAGES)).isTrue();
            invoices.setSubscribed(true);
            assertThat(store.getFolder("Accounts").exists()).isTrue(); // the missing level was created too
            assertThat(Arrays.stream(store.getDefaultFolder().listSubscribed("*")).map(Folder::getFullName))
                    .contains("INBOX", "Sent", "Accounts/Invoices");

            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            inbox.moveMessages(inbox.getMessages(), invoices);
            inbox.close(false);
            assertThat(store.getFolder("INBOX").getMessageCount()).isZero(); // a closed folder asks STATUS

            invoices.open(Folder.READ_ONLY);
            assertThat(invoices.getMessages()).extracting(Message::getSubject).containsExactly("Invoice 42");
            assertThat((String) invoices.getMessage(1).getContent()).contains(TestNodes.ORDINARY_BODY.strip().split("\r?\n")[0]);
            invoices.close(false);

            sentFolder.open(Folder.READ_ONLY);
            Message back = sentFolder.getMessage(1);
            assertThat(back.getSubject()).isEqualTo("Re: Invoice 42");
            assertThat(back.isSet(Flags.Flag.SEEN)).isTrue();
            assertThat(((String) back.getContent()).strip()).isEqualTo("Paid today.");
            sentFolder.close(false);
            assertThat(admin.mailboxUsage(mailbox)).isGreaterThan(back.getSize());
        } finally {
            store.close();
        }
    }
}

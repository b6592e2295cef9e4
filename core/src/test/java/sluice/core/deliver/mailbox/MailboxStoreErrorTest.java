package sluice.core.deliver.mailbox;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.Mailbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A failing store defers the mail; its own text (SQL, connection strings) stays in the operator's log, out of the trace. */
class MailboxStoreErrorTest {

    private static final String JDBC_TEXT = "ERROR: relation \"mailbox_messages\" does not exist; jdbc:postgresql://db.internal:5432/sluice";

    @Test
    void aStoreErrorDefersWithAReferenceInsteadOfItsText() {
        MailboxStore failing = new MailboxStore() {
            @Override public void append(String mailboxId, Folder folder, byte[] content, long quotaBytes) { throw new IllegalStateException(JDBC_TEXT); }
            @Override public long usage(String mailboxId) { return 0; }
            @Override public List<StoredMessage> list(String mailboxId, Folder folder) { return List.of(); }
            @Override public byte[] content(String mailboxId, MailboxFolders.Key folder, long uid) { return null; }
        };
        Mailbox alice = new Mailbox("m-1", "org-1", Address.parse("alice@contoso.example"), List.of(), "Alice", null, 0);
        Instant now = Instant.now();
        QueuedMessage m = new QueuedMessage(QueueId.next(now), NetworkMessageId.random(), now, "bob@fabrikam.example", null, null, null,
                "192.0.2.1", "client.test", "Subject: s\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));

        Outcome o = new MailboxDelivery(failing).deliver(alice, m);

        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply()).isEqualTo("451 4.3.0 Mailbox store unavailable");
        assertThat(o.detail()).matches("mailbox store error: internal error \\(reference [0-9a-f]{8}\\)");
    }
}

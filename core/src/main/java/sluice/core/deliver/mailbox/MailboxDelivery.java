package sluice.core.deliver.mailbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.deliver.Outcome;
import sluice.core.mail.Headers;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.Mailbox;
import sluice.core.trace.Incident;
import sluice.core.mail.QueuedMessage;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.UUID;

/**
 * Final delivery into a hosted mailbox's Inbox: prepends Return-Path (RFC 5321 section 4.4) and
 * Delivered-To, and appends through the mailbox store, which enforces the quota.
 */
public final class MailboxDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxDelivery.class);

    public static final String FOLDER_HEADER = "X-Sluice-Folder";

    private final MailboxStore store;
    private final Logger log;
    private final StackTraceLimit stackTraces;

    public MailboxDelivery(MailboxStore store) {
        this(store, LOG, InstantSource.system());
    }

    MailboxDelivery(MailboxStore store, Logger log, InstantSource clock) {
        this.store = store;
        this.log = log;
        this.stackTraces = new StackTraceLimit(clock);
    }

    /**
     * The folder the protection pipeline chose ({@value #FOLDER_HEADER}: Junk). Only our own copy of
     * that header can be there: the receiver strips X-Sluice-* fields from untrusted mail.
     */
    static MailboxStore.Folder folderOf(byte[] content) {
        String folder = Headers.first(content, FOLDER_HEADER);
        return "Junk".equalsIgnoreCase(folder) ? MailboxStore.Folder.JUNK : MailboxStore.Folder.INBOX;
    }

    public Outcome deliver(Mailbox mailbox, QueuedMessage message) {
        byte[] prefix = ("Return-Path: <" + message.sender() + ">\r\nDelivered-To: " + mailbox.address() + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + message.content().length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(message.content(), 0, content, prefix.length, message.content().length);
        try {
            MailboxStore.Folder folder = folderOf(message.content());
            store.append(mailbox.id(), folder, content, mailbox.quotaBytes());
            return new Outcome.Delivered("250 2.0.0 Delivered to mailbox", "stored in the "
                    + (folder == MailboxStore.Folder.JUNK ? "Junk Email folder" : "Inbox") + " of " + mailbox.address(),
                    "mailbox", null);
        } catch (MailboxStore.QuotaExceeded e) {
            return new Outcome.Bounced("552 5.2.2 Mailbox full", "mailbox " + mailbox.address() + " is over its quota");
        } catch (RuntimeException e) {
            // the outcome reaches the message trace: the store's own text (SQL, paths) only the log
            Incident incident = logged("mailbox delivery to " + mailbox.address(), e);
            return new Outcome.Deferred("451 4.3.0 Mailbox store unavailable", "mailbox store error: " + incident.text());
        }
    }

    /**
     * An {@link Incident}: with its stack trace at most once a minute per exception class ({@link StackTraceLimit}),
     * so that an outage of the store, which fails every delivery alike, does not flood the log; else one line.
     */
    private Incident logged(String what, RuntimeException e) {
        if (stackTraces.allows(e)) return Incident.logged(log, what, e);
        Incident i = new Incident(UUID.randomUUID().toString().substring(0, 8));
        log.warn("{} failed unexpectedly (reference {}): {} (its stack trace is logged at most once a minute)",
                what, i.reference(), e.toString());
        return i;
    }
}

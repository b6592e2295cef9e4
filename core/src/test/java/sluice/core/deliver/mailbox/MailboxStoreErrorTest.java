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

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import sluice.core.testing.MutableClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A failing store defers the mail; its own text (SQL, connection strings) stays in the operator's log, out of the trace. */
class MailboxStoreErrorTest {

    private static final String JDBC_TEXT = "ERROR: relation \"mailbox_messages\" does not exist; jdbc:postgresql://db.internal:5432/sluice";

    private static final Mailbox ALICE = new Mailbox("m-1", "org-1", Address.parse("alice@contoso.example"), List.of(), "Alice", null, 0);

    private static MailboxStore failing(java.util.function.Supplier<RuntimeException> error) {
        return new MailboxStore() {
            @Override public void append(String mailboxId, Folder folder, byte[] content, long quotaBytes) { throw error.get(); }
            @Override public long usage(String mailboxId) { return 0; }
            @Override public List<StoredMessage> list(String mailboxId, Folder folder) { return List.of(); }
            @Override public byte[] content(String mailboxId, MailboxFolders.Key folder, long uid) { return null; }
        };
    }

    private static QueuedMessage message() {
        Instant now = Instant.now();
        return new QueuedMessage(QueueId.next(now), NetworkMessageId.random(), now, "bob@fabrikam.example", null, null, null,
                "192.0.2.1", "client.test", "Subject: s\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII),
                QueuedMessage.Origin.INTERNET, false, null, false);
    }

    @Test
    void aStoreErrorDefersWithAReferenceInsteadOfItsText() {
        Outcome o = new MailboxDelivery(failing(() -> new IllegalStateException(JDBC_TEXT))).deliver(ALICE, message());

        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply()).isEqualTo("451 4.3.0 Mailbox store unavailable");
        assertThat(o.detail()).matches("mailbox store error: internal error \\(reference [0-9a-f]{8}\\)");
    }

    /** Logs what is logged: each call's level, and whether it carried a stack trace. */
    private static final class RecordingLogger extends AbstractLogger {
        final List<String> calls = new ArrayList<>();

        @Override protected String getFullyQualifiedCallerName() { return null; }
        @Override protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
            calls.add(level + (t == null ? "" : " with stack trace") + ": " + MessageFormatter.basicArrayFormat(pattern, args));
        }
        @Override public boolean isTraceEnabled() { return true; }
        @Override public boolean isTraceEnabled(Marker marker) { return true; }
        @Override public boolean isDebugEnabled() { return true; }
        @Override public boolean isDebugEnabled(Marker marker) { return true; }
        @Override public boolean isInfoEnabled() { return true; }
        @Override public boolean isInfoEnabled(Marker marker) { return true; }
        @Override public boolean isWarnEnabled() { return true; }
        @Override public boolean isWarnEnabled(Marker marker) { return true; }
        @Override public boolean isErrorEnabled() { return true; }
        @Override public boolean isErrorEnabled(Marker marker) { return true; }
    }

    /** A store outage fails every delivery alike: one stack trace a minute per exception class, else a line with the reference. */
    @Test
    void duringAnOutageTheStackTraceIsLoggedOnceAMinutePerExceptionClass() {
        RecordingLogger log = new RecordingLogger();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
        boolean[] other = {false};
        MailboxDelivery delivery = new MailboxDelivery(failing(() -> other[0] ? new java.io.UncheckedIOException(new java.io.IOException("disk"))
                : new IllegalStateException(JDBC_TEXT)), log, clock);

        for (int i = 0; i < 3; i++) delivery.deliver(ALICE, message());
        other[0] = true;
        delivery.deliver(ALICE, message());
        other[0] = false;
        clock.advance(Duration.ofSeconds(59));
        String last = delivery.deliver(ALICE, message()).detail();
        clock.advance(Duration.ofSeconds(1));
        delivery.deliver(ALICE, message());

        assertThat(log.calls).hasSize(6);
        assertThat(log.calls.get(0)).startsWith("ERROR with stack trace: ");
        assertThat(log.calls.subList(1, 3)).allSatisfy(c -> assertThat(c).startsWith("WARN: ").contains("IllegalStateException"));
        assertThat(log.calls.get(3)).as("another class").startsWith("ERROR with stack trace: ");
        assertThat(log.calls.get(4)).startsWith("WARN: ").contains(last.substring(last.indexOf("reference ") + 10, last.length() - 1));
        assertThat(log.calls.get(5)).as("a minute later").startsWith("ERROR with stack trace: ");
    }
}

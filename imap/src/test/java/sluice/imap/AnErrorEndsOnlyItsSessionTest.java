package sluice.imap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An Error in a command (here a StackOverflowError, as a deeply nested command could cause) ends that
 * session with a BYE, not a silent close, and the listener serves the next client.
 */
class AnErrorEndsOnlyItsSessionTest {

    @TempDir
    Path dir;

    @Test
    void aStackOverflowInACommandIsAnsweredWithByeAndTheListenerGoesOn() throws Exception {
        try (ImapFixture f = new ImapFixture(dir, Duration.ofMinutes(30), Duration.ofMillis(100), Duration.ofMinutes(1),
                AnErrorEndsOnlyItsSessionTest::overflowingOnContent)) {
            Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
            f.deliver(alice, Folder.INBOX, "Subject: deep\n\nbody\n");
            try (ImapClient c = f.loggedIn("alice@a.example")) {
                c.command("s", "SELECT INBOX");
                c.send("a FETCH 1 BODY[]\r\n");
                assertThat(c.line()).isEqualTo("* BYE Internal server error; connect again");
                assertThat(c.line()).isNull();
            }
            try (ImapClient c = f.loggedIn("alice@a.example")) {
                assertThat(c.command("b", "NOOP")).containsExactly("b OK NOOP completed");
            }
        }
    }

    private static MailboxStore overflowingOnContent(MailboxStore store) {
        return (MailboxStore) Proxy.newProxyInstance(MailboxStore.class.getClassLoader(), new Class<?>[]{MailboxStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("content")) throw new StackOverflowError();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

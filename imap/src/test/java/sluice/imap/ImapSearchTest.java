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
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** SEARCH reads and parses each message at most once, however many text keys it tests. */
class ImapSearchTest {

    @TempDir
    Path dir;

    @Test
    void everyMessageIsLoadedOncePerSearch() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        try (ImapFixture f = new ImapFixture(dir, Duration.ofMinutes(30), Duration.ofMillis(100), Duration.ofMinutes(1),
                store -> counting(store, loads))) {
            Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
            f.deliver(alice, Folder.INBOX, "From: one@x.example\nSubject: first\n\nbody one\n");
            f.deliver(alice, Folder.INBOX, "From: two@x.example\nSubject: second\n\nbody two\n");
            try (ImapClient c = f.loggedIn("alice@a.example")) {
                c.command("s", "SELECT INBOX");
                loads.set(0);
                assertThat(c.command("a", "SEARCH OR BODY nowhere OR SUBJECT nothing OR FROM nobody TEXT two"))
                        .containsExactly("* SEARCH 2", "a OK SEARCH completed");
                assertThat(loads).hasValue(2);
            }
        }
    }

    private static MailboxStore counting(MailboxStore store, AtomicInteger loads) {
        return (MailboxStore) Proxy.newProxyInstance(MailboxStore.class.getClassLoader(), new Class<?>[]{MailboxStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("content")) loads.incrementAndGet();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

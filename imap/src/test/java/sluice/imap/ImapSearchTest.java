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

/** SEARCH reads and parses each message at most once, however many text keys it tests, and its programs are capped. */
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

    @Test
    void tooManyKeysOrTooDeepANestingAreRefusedAsALimitAndTheSessionGoesOn() throws Exception {
        withInboxSelected("From: one@x.example\nSubject: first\n\nbody one\n", c -> {
            assertThat(c.command("a", "SEARCH" + " UNSEEN".repeat(SearchProgram.MAX_KEYS)))
                    .containsExactly("* SEARCH 1", "a OK SEARCH completed");
            assertThat(c.command("b", "SEARCH" + " UNSEEN".repeat(SearchProgram.MAX_KEYS + 1)))
                    .containsExactly("b NO [LIMIT] at most 100 search keys in one SEARCH");
            assertThat(c.command("c", "SEARCH " + "NOT ".repeat(64) + "SEEN")).containsExactly("* SEARCH", "c OK SEARCH completed");
            assertThat(c.command("d", "SEARCH " + "(".repeat(10_000) + "ALL" + ")".repeat(10_000)))
                    .containsExactly("d NO [LIMIT] search keys may be nested at most 64 deep (parentheses, NOT and OR)");
            assertThat(c.command("e", "SEARCH " + "NOT ".repeat(65) + "SEEN")).containsExactly(
                    "e NO [LIMIT] search keys may be nested at most 64 deep (parentheses, NOT and OR)");
            assertThat(c.command("f", "NOOP")).containsExactly("f OK NOOP completed");
        });
    }

    @Test
    void bodyLooksPastTheHeaderAndTextIncludesItWhateverTheCase() throws Exception {
        withInboxSelected("From: one@x.example\nSubject: Quarterly Report\n\nSee the FIGURES attached.\n", c -> {
            assertThat(c.command("a", "SEARCH BODY quarterly")).containsExactly("* SEARCH", "a OK SEARCH completed");
            assertThat(c.command("b", "SEARCH TEXT QUARTERLY BODY figures")).containsExactly("* SEARCH 1", "b OK SEARCH completed");
        });
    }

    private interface Scenario {
        void run(ImapClient c) throws Exception;
    }

    /** Runs {@code scenario} on a client with INBOX selected, {@code message} its only message. */
    private void withInboxSelected(String message, Scenario scenario) throws Exception {
        try (ImapFixture f = new ImapFixture(dir)) {
            Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
            f.deliver(alice, Folder.INBOX, message);
            try (ImapClient c = f.loggedIn("alice@a.example")) {
                c.command("s", "SELECT INBOX");
                scenario.run(c);
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

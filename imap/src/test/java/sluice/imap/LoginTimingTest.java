package sluice.imap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Address;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;
import sluice.core.receive.SubmissionLimits;
import sluice.core.testing.MemoryDirectory;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A login for an address with no mailbox costs as much as a wrong password: timing does not tell which addresses exist. */
class LoginTimingTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownUserTakesAsLongAsAWrongPassword() {
        Passwords passwords = new Passwords(8_192, 3, 1); // costly enough to measure, cheap enough for a test
        MemoryDirectory directory = new MemoryDirectory();
        var org = directory.createOrganization("org", false);
        directory.createMailbox(new Mailbox("x", org.id(), Address.parse("alice@a.example"), List.of(), "alice@a.example",
                passwords.hash("secret"), 0));
        directory.createMailbox(new Mailbox("y", org.id(), Address.parse("nopass@a.example"), List.of(), "nopass@a.example", null, 0));
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            Login login = new Login(new HostedMail(directory, passwords, new SubmissionLimits(30, Duration.ofMinutes(1), 1_000,
                    Duration.ofMinutes(10)), store.mailboxes(), store.mailboxFolders(), InstantSource.system()), 1);
            long wrongPassword = median(() -> login.attempt("alice@a.example", "guess", "192.0.2.1", "LOGIN"));
            long unknownUser = median(() -> login.attempt("mallory@a.example", "guess", "192.0.2.1", "LOGIN"));
            long noPassword = median(() -> login.attempt("nopass@a.example", "guess", "192.0.2.1", "LOGIN"));
            long notAnAddress = median(() -> login.attempt("not an address", "guess", "192.0.2.1", "LOGIN"));
            assertThat(unknownUser).isGreaterThan(wrongPassword / 2);
            assertThat(noPassword).isGreaterThan(wrongPassword / 2);
            assertThat(notAnAddress).isGreaterThan(wrongPassword / 2);
        }
    }

    private static long median(Runnable attempt) {
        long[] nanos = new long[5];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            attempt.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2];
    }
}

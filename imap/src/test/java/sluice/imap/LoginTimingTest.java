package sluice.imap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.org.Passwords;
import sluice.core.receive.SubmissionLimits;
import sluice.core.testing.LoginTiming;
import sluice.core.testing.MemoryDirectory;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

import static sluice.core.testing.LoginTiming.interleavedMedians;
import static org.assertj.core.api.Assertions.assertThat;

/** A login for an address with no mailbox costs as much as a wrong password: timing does not tell which addresses exist. */
class LoginTimingTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownUserTakesAsLongAsAWrongPassword() {
        MemoryDirectory directory = LoginTiming.directory();
        Passwords passwords = LoginTiming.PASSWORDS;
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            Login login = new Login(new HostedMail(directory, passwords, new SubmissionLimits(30, Duration.ofMinutes(1), 1_000,
                    Duration.ofMinutes(10)), store.mailboxes(), store.mailboxFolders(), InstantSource.system()));
            long[] medians = interleavedMedians(() -> login.attempt("alice@a.example", "guess", "192.0.2.1", "LOGIN"),
                    () -> login.attempt("mallory@a.example", "guess", "192.0.2.1", "LOGIN"),
                    () -> login.attempt("nopass@a.example", "guess", "192.0.2.1", "LOGIN"),
                    () -> login.attempt("not an address", "guess", "192.0.2.1", "LOGIN"));
            long wrongPassword = medians[0];
            long unknownUser = medians[1];
            long noPassword = medians[2];
            long notAnAddress = medians[3];
            assertThat(unknownUser).isGreaterThan(wrongPassword / 2);
            assertThat(noPassword).isGreaterThan(wrongPassword / 2);
            assertThat(notAnAddress).isGreaterThan(wrongPassword / 2);
        }
    }
}

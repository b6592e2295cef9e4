package sluice.core.receive;

import org.junit.jupiter.api.Test;
import sluice.core.mail.Address;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryDkimKeys;
import sluice.smtp.ConnectionInfo;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Submission AUTH for an address with no mailbox costs as much as a wrong password: timing does not tell which exist. */
class SubmissionLoginTimingTest {

    @Test
    void anUnknownUserTakesAsLongAsAWrongPassword() {
        Passwords passwords = new Passwords(8_192, 3, 1); // costly enough to measure, cheap enough for a test
        MemoryDirectory directory = new MemoryDirectory();
        var org = directory.createOrganization("org", false);
        directory.createMailbox(new Mailbox("x", org.id(), Address.parse("alice@a.example"), List.of(), "alice@a.example",
                passwords.hash("secret"), 0));
        Receiver receiver = new Receiver(null, directory, null, null, null, null, null, InstantSource.system(), ZoneOffset.UTC,
                "mx.test", passwords, new SubmissionLimits(30, Duration.ofMinutes(1), 1_000, Duration.ofMinutes(10)),
                null, null, new MemoryDkimKeys());
        Supplier<Sender> session = () -> new Sender(receiver, new ConnectionInfo("s", new InetSocketAddress("192.0.2.1", 50_000),
                new InetSocketAddress("192.0.2.2", 587), Instant.now(), false), true);
        long wrongPassword = median(() -> session.get().authenticate("alice@a.example", "guess"));
        long unknownUser = median(() -> session.get().authenticate("mallory@a.example", "guess"));
        long notAnAddress = median(() -> session.get().authenticate("not an address", "guess"));
        assertThat(session.get().authenticate("alice@a.example", "secret")).isEqualTo(Sender.AUTH_OK);
        assertThat(unknownUser).isGreaterThan(wrongPassword / 2);
        assertThat(notAnAddress).isGreaterThan(wrongPassword / 2);
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

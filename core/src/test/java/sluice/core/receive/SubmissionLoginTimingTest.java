package sluice.core.receive;

import org.junit.jupiter.api.Test;
import sluice.core.org.Passwords;
import sluice.core.testing.LoginTiming;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryDkimKeys;
import sluice.smtp.ConnectionInfo;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.function.Supplier;

import static sluice.core.testing.LoginTiming.interleavedMedians;
import static org.assertj.core.api.Assertions.assertThat;

/** Submission AUTH for an address with no mailbox costs as much as a wrong password: timing does not tell which exist. */
class SubmissionLoginTimingTest {

    @Test
    void anUnknownUserTakesAsLongAsAWrongPassword() {
        MemoryDirectory directory = LoginTiming.directory();
        Passwords passwords = LoginTiming.PASSWORDS;
        Receiver receiver = new Receiver(null, directory, null, null, null, null, null, InstantSource.system(), ZoneOffset.UTC,
                "mx.test", passwords, new SubmissionLimits(30, Duration.ofMinutes(1), 1_000, Duration.ofMinutes(10)),
                null, null, new MemoryDkimKeys());
        Supplier<Sender> session = () -> new Sender(receiver, new ConnectionInfo("s", new InetSocketAddress("192.0.2.1", 50_000),
                new InetSocketAddress("192.0.2.2", 587), Instant.now(), false), true);
        long[] medians = interleavedMedians(() -> session.get().authenticate("alice@a.example", "guess"),
                () -> session.get().authenticate("mallory@a.example", "guess"),
                () -> session.get().authenticate("not an address", "guess"));
        long wrongPassword = medians[0];
        long unknownUser = medians[1];
        long notAnAddress = medians[2];
        assertThat(session.get().authenticate("alice@a.example", LoginTiming.PASSWORD)).isEqualTo(Sender.AUTH_OK);
        assertThat(unknownUser).isGreaterThan(wrongPassword / 2);
        assertThat(notAnAddress).isGreaterThan(wrongPassword / 2);
    }
}

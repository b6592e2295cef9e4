package sluice.smtp.client;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The watchdog fires only the step it saw expire, and the owner learns when a step ended as it fired. */
class WatchdogTest {

    @Test
    void aStepThatOverrunsIsFiredAndItsOwnerLearnsSoWhenItEnds() throws Exception {
        try (ServerSocket server = new ServerSocket(0); Socket tcp = new Socket("127.0.0.1", server.getLocalPort())) {
            Watchdog dog = new Watchdog(tcp);
            dog.arm(Duration.ofMillis(1));
            awaitFired(dog);

            assertThat(dog.disarm()).as("the step ended after the watchdog fired").isFalse();
            awaitClosed(tcp);
            dog.arm(Duration.ofMinutes(5)); // a fired watchdog stays fired: the connection is gone
            assertThat(dog.fired()).isTrue();
        }
    }

    @Test
    void aStepThatEndedInTimeIsNeverFiredAndTheNextStepHasItsOwnDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0); Socket tcp = new Socket("127.0.0.1", server.getLocalPort())) {
            Watchdog dog = new Watchdog(tcp);
            for (int i = 0; i < 1000; i++) {
                dog.arm(Duration.ofMillis(50));
                assertThat(dog.disarm()).isTrue();
                dog.arm(Duration.ofMinutes(5)); // the next step, armed right after the last ended
            }
            Thread.sleep(400); // several sweeps past the short deadlines
            assertThat(dog.fired()).isFalse();
            assertThat(dog.disarm()).isTrue();
            assertThat(tcp.isClosed()).isFalse();
        }
    }

    private static void awaitFired(Watchdog dog) throws InterruptedException {
        for (int i = 0; i < 100 && !dog.fired(); i++) Thread.sleep(20);
        assertThat(dog.fired()).isTrue();
    }

    private static void awaitClosed(Socket tcp) throws InterruptedException {
        for (int i = 0; i < 100 && !tcp.isClosed(); i++) Thread.sleep(20);
        assertThat(tcp.isClosed()).isTrue();
    }
}

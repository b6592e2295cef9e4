package sluice.store.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.QueueId;
import sluice.store.EmbeddedStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.store.Fixtures.message;

/**
 * The durability promise under a real crash: a child JVM enqueues in a loop and prints each id only
 * after enqueue returned; we SIGKILL it mid-stream (twice, so the second run also starts from a
 * crashed database), reopen, and require every printed id with its content intact.
 */
class KillDashNineTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesSigkill() throws Exception {
        Set<String> acknowledged = new HashSet<>();
        for (int run = 0; run < 2; run++) acknowledged.addAll(runAndKill(200));
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(400);

        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            Set<String> pending = new HashSet<>();
            store.spool().pending().forEach(id -> pending.add(id.value()));
            assertThat(pending).containsAll(acknowledged);
            for (String raw : acknowledged) {
                QueueId id = new QueueId(raw);
                assertThat(store.spool().message(id).orElseThrow().content()).isEqualTo(message(id, 4096).content());
                assertThat(store.spool().recipients(id)).hasSize(2);
            }
        }
    }

    /** Starts the child, waits for {@code atLeast} acknowledgements, kills it, returns what it acknowledged. */
    private Set<String> runAndKill(int atLeast) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashingEnqueuer.class.getName(), dir.toString())
                .redirectError(dir.resolve("child-stderr.log").toFile())
                .start();
        Set<String> acks = ConcurrentHashMap.newKeySet();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; )
                    if (line.matches("OK [0-9A-F]{20}")) acks.add(line.substring(3));
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acks.size() < atLeast && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(child.isAlive()).as("child still enqueuing (see child-stderr.log)").isTrue();
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
        child.waitFor();
        reader.join(); // lines already written before the kill are still read from the pipe
        return acks;
    }
}

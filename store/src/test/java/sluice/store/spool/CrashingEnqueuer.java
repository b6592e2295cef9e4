package sluice.store.spool;

import sluice.core.mail.QueueId;
import sluice.store.EmbeddedStore;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;

import static sluice.store.Fixtures.message;
import static sluice.store.Fixtures.nextId;
import static sluice.store.Fixtures.recipients;

/**
 * The child process of {@link KillDashNineTest}: enqueues from several threads until killed and
 * prints {@code OK <id>} only after enqueue returned, i.e. only for what an SMTP client would have
 * got a {@code 250} for.
 */
public final class CrashingEnqueuer {
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        EmbeddedStore store = EmbeddedStore.open(Path.of(args[0]), InstantSource.system());
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++)
            threads[t] = Thread.ofVirtual().start(() -> {
                while (true) {
                    QueueId id = nextId();
                    store.spool().enqueue(message(id, 4096), recipients(id, "a@example.com", "b@example.com"));
                    synchronized (out) {
                        out.println("OK " + id);
                        out.flush();
                    }
                }
            });
        // Virtual threads do not keep the JVM alive: wait for them, i.e. until the parent's SIGKILL.
        for (Thread t : threads) t.join();
    }
}

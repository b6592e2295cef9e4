package sluice.store;

import sluice.core.mail.QueueId;
import sluice.core.queue.Spool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static sluice.store.Fixtures.message;
import static sluice.store.Fixtures.nextId;
import static sluice.store.Fixtures.recipients;

/**
 * A sanity benchmark, not a test: N concurrent writers enqueue 4 KiB messages (two recipients each)
 * for a while; prints enqueue/s, how many enqueues each sync carried, and the enqueue latency.
 *
 * <pre>
 * ./mvnw -q -pl store -am test-compile
 * ./mvnw -q -pl store dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java --enable-native-access=ALL-UNNAMED -cp "$(cat /tmp/cp.txt):store/target/classes:store/target/test-classes" \
 *     sluice.store.SpoolBenchmark [dataDir] [seconds=10] [writers=20] [bytes=4096]
 * </pre>
 * The data directory must be on the disk under test (not tmpfs, where a sync costs nothing).
 */
public final class SpoolBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("sluice-bench");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 4096;
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            run(store, 2, writers, size, false); // warm-up
            long commits = store.writer().commitCount(), tasks = store.writer().taskCount();
            run(store, seconds, writers, size, true);
            commits = store.writer().commitCount() - commits;
            tasks = store.writer().taskCount() - tasks;
            System.out.printf("commits (syncs): %d, enqueues per commit: %.1f%n", commits, (double) tasks / Math.max(1, commits));
        }
        System.out.println("data in " + dir.toAbsolutePath());
    }

    private static void run(EmbeddedStore store, int seconds, int writers, int size, boolean report) throws Exception {
        Spool spool = store.spool();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        long[][] latencies = new long[writers][];
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                int me = w;
                pool.submit(() -> {
                    long[] lat = new long[1 << 20];
                    int n = 0;
                    while (!stop.get()) {
                        QueueId id = nextId();
                        var m = message(id, size);
                        var rs = recipients(id, "a@example.com", "b@example.com");
                        long t0 = System.nanoTime();
                        spool.enqueue(m, rs);
                        if (n < lat.length) lat[n++] = System.nanoTime() - t0;
                        count.incrementAndGet();
                    }
                    latencies[me] = Arrays.copyOf(lat, n);
                });
            }
            Thread.sleep(seconds * 1000L);
            stop.set(true);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!report) return;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%d writers, %d-byte messages, %.1f s: %d enqueues, %.0f enqueue/s%n",
                writers, size, elapsed, count.get(), count.get() / elapsed);
        System.out.printf("enqueue latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
    }
}

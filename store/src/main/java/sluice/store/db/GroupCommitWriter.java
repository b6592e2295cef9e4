package sluice.store.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit: one thread owns the only write connection. Callers on any number of threads submit
 * work and block until the transaction that carried it is committed (synced, with the connection's
 * synchronous=FULL). The writer drains every pending task into one transaction, runs each inside
 * its own SAVEPOINT, commits once, then releases all callers: one fsync covers the whole batch, so
 * concurrent SMTP sessions do not pay one sync each.
 *
 * <p>A task that throws rolls back to its savepoint and fails only its own caller. If the commit
 * itself fails (I/O error, full disk), every caller of that batch gets a {@link StoreException} and
 * nothing of the batch is stored.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** Bounds a transaction's size (and memory held) when thousands of callers pile up. */
    private static final int MAX_BATCH = 512;

    private final Connection connection;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object lifecycle = new Object();
    private boolean closed;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong tasks = new AtomicLong();

    /** Takes ownership of {@code connection}; it is closed by {@link #close()}. */
    public GroupCommitWriter(Connection connection, String name) {
        this.connection = connection;
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException("cannot start the store writer", e);
        }
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
    }

    /**
     * Runs {@code work} in the next group transaction and returns its result once that transaction
     * is committed. Exceptions thrown by the work reach the caller as they are (SQL ones wrapped in
     * {@link StoreException}). Not interruptible: a caller must learn whether its write happened.
     */
    public <T> T write(SqlWork<T> work) {
        if (Thread.currentThread() == thread) throw new IllegalStateException("write() called from a write task");
        Task<T> task = new Task<>(work);
        synchronized (lifecycle) {
            if (closed) throw new IllegalStateException("the store is closed");
            queue.add(task);
        }
        try {
            return task.done.join();
        } catch (CompletionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Number of commits so far (each one sync); with {@link #taskCount()} it shows the batching. */
    public long commitCount() {
        return commits.get();
    }

    public long taskCount() {
        return tasks.get();
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.removeIf(t -> t.work == null);
            runBatch(batch);
            batch.clear();
            if (stop) {
                // close() stopped new submissions before queuing the stop marker; finish stragglers.
                while (queue.drainTo(batch, MAX_BATCH) > 0) {
                    runBatch(batch);
                    batch.clear();
                }
                return;
            }
        }
    }

    private void runBatch(List<Task<?>> batch) {
        if (batch.isEmpty()) return;
        try {
            for (Task<?> task : batch) runInSavepoint(task);
            connection.commit();
            commits.incrementAndGet();
            tasks.addAndGet(batch.size());
            for (Task<?> task : batch) task.finish();
        } catch (Throwable e) {
            // Everything, Errors included: if this thread died, every later caller would wait forever.
            log.error("store commit failed; {} writes refused", batch.size(), e);
            rollbackQuietly();
            StoreException failure = new StoreException("the store could not commit: " + e.getMessage(), e);
            for (Task<?> task : batch) task.done.completeExceptionally(failure);
        }
    }

    private void runInSavepoint(Task<?> task) throws SQLException {
        execute("SAVEPOINT task");
        try {
            task.run(connection);
        } catch (Throwable e) {
            task.failure = e;
            // If this rollback fails the transaction state is unknown: runBatch fails the whole batch.
            execute("ROLLBACK TO SAVEPOINT task");
        }
        execute("RELEASE SAVEPOINT task");
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("rollback after a failed commit failed too", e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) return r;
        if (cause instanceof Error e) throw e;
        return new StoreException("store write failed: " + cause.getMessage(), cause);
    }

    /** Lets queued work finish and commit, then stops the thread and closes the connection. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) return;
            closed = true;
            queue.add(new Task<>(null));
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("closing the write connection failed", e);
        }
    }

    private static final class Task<T> {
        final SqlWork<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Throwable failure;

        Task(SqlWork<T> work) {
            this.work = work;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
        }

        /** Called only after the commit: the caller learns of success only once it is durable. */
        void finish() {
            if (failure != null) done.completeExceptionally(failure);
            else done.complete(result);
        }
    }
}

package sluice.store.db;

import java.sql.PreparedStatement;

/**
 * Deletes any number of rows without holding the write lock for long: one bounded statement per
 * task of the shared group-commit writer, repeated until a statement removes less than a batch.
 * SMTP sessions waiting to commit therefore wait for at most one batch, and a purge stopped half-way
 * (crash, shutdown) leaves only whole batches done; the next run carries on.
 */
public final class BatchedDelete {
    /** Rows per statement: tens of milliseconds of SQLite work, not seconds. */
    public static final int BATCH = 5_000;

    private BatchedDelete() {
    }

    /**
     * Runs {@code sql} batch by batch and returns the rows removed in all. Its parameters are
     * {@code args}, then the batch size last (the {@code LIMIT ?} of the sub-select that picks the
     * rows). Stops early, between batches, when the calling thread is interrupted (shutdown).
     */
    public static long run(GroupCommitWriter writer, int batch, String sql, Object... args) {
        if (batch < 1) throw new IllegalArgumentException("batch must be positive");
        long total = 0;
        int removed;
        do {
            removed = writer.write(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
                    s.setInt(args.length + 1, batch);
                    return s.executeUpdate();
                }
            });
            total += removed;
        } while (removed >= batch && !Thread.currentThread().isInterrupted());
        return total;
    }
}

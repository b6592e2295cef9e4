package sluice.store.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A small fixed pool of read connections. With WAL, readers see the last committed state and never
 * wait for the writer, so reads need no coordination with {@link GroupCommitWriter}; a write that
 * returned is visible to every read that starts afterwards.
 */
public final class ReadPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReadPool.class);

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all;

    public ReadPool(List<Connection> connections) {
        this.all = new ArrayList<>(connections);
        this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
    }

    public <T> T read(SqlWork<T> work) {
        Connection c = take();
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("store read failed: " + e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    private Connection take() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return idle.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                log.warn("closing a read connection failed", e);
            }
        }
    }
}

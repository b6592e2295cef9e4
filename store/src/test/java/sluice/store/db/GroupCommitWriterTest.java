package sluice.store.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.store.StoreException;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitWriterTest {
    @TempDir
    Path dir;
    GroupCommitWriter writer;
    ReadPool readers;

    @BeforeEach
    void open() throws Exception {
        Path file = dir.resolve("t.db");
        writer = new GroupCommitWriter(Sqlite.openWriter(file), "test-writer");
        writer.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
            }
            return null;
        });
        readers = new ReadPool(List.of(Sqlite.openReader(file), Sqlite.openReader(file)));
    }

    @AfterEach
    void close() {
        writer.close();
        readers.close();
    }

    @Test
    void writerConnectionSyncsEveryCommitInWalModeWithForeignKeys() {
        List<String> pragmas = writer.write(c -> List.of(pragma(c, "journal_mode"), pragma(c, "synchronous"),
                pragma(c, "foreign_keys"), pragma(c, "busy_timeout")));
        assertThat(pragmas).containsExactly("wal", "2", "1", "10000"); // synchronous 2 = FULL
    }

    @Test
    void concurrentWritesShareCommitsAndAllLand() throws Exception {
        int writers = 32, each = 20;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < writers; w++) {
                int id = w;
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) insert(id + "-" + i, i);
                    return null;
                });
            }
            start.countDown();
        }
        assertThat(count()).isEqualTo(writers * each);
        assertThat(writer.taskCount()).isEqualTo(writers * each + 1);
        assertThat(writer.commitCount()).as("group commit batches concurrent writes").isLessThan(writers * each);
    }

    @Test
    void aFailingTaskFailsOnlyItsOwnCallerAndLeavesNoPartialWrite() throws Exception {
        insert("taken", 1);
        int callers = 40;
        List<Future<?>> results = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    if (n % 4 == 0) {
                        // writes a row, then fails: the row must be rolled back with it
                        writer.write(c -> {
                            insert(c, "partial-" + n, n);
                            insert(c, "taken", n);
                            return null;
                        });
                    } else insert("ok-" + n, n);
                    return null;
                }));
            }
            start.countDown();
        }
        int failed = 0;
        for (int i = 0; i < callers; i++) {
            try {
                results.get(i).get();
                assertThat(i % 4).isNotZero();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(i % 4).isZero();
                assertThat(e.getCause()).isInstanceOf(StoreException.class).hasMessageContaining("UNIQUE");
                assertThat(Dialect.SQLITE.isUniqueViolation((java.sql.SQLException) e.getCause().getCause())).isTrue();
                failed++;
            }
        }
        assertThat(failed).isEqualTo(10);
        assertThat(count()).isEqualTo(1 + 30);
        int partial = readers.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t WHERE k LIKE 'partial-%'")) {
                return rs.getInt(1);
            }
        });
        assertThat(partial).isZero();
    }

    @Test
    void runtimeExceptionsReachTheCallerUnchanged() {
        assertThatThrownBy(() -> writer.write(c -> {
            throw new IllegalStateException("mine");
        })).isInstanceOf(IllegalStateException.class).hasMessage("mine");
        insert("after", 1);
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void aWriteIsVisibleToReadersOnceItReturns() {
        for (int i = 0; i < 50; i++) {
            insert("k" + i, i);
            assertThat(count()).isEqualTo(i + 1);
        }
    }

    @Test
    void closeRefusesLaterWrites() {
        writer.close();
        assertThatThrownBy(() -> insert("late", 1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private void insert(String k, int v) {
        writer.write(c -> {
            insert(c, k, v);
            return null;
        });
    }

    private static void insert(java.sql.Connection c, String k, int v) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            s.setString(1, k);
            s.setInt(2, v);
            s.executeUpdate();
        }
    }

    private int count() {
        return readers.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                return rs.getInt(1);
            }
        });
    }

    private static String pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            return rs.getString(1);
        }
    }
}

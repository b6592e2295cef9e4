package sluice.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mailbox.MailboxChanges;
import sluice.store.account.SqlAuditLog;
import sluice.store.account.SqlUsers;
import sluice.store.connector.SqlConnectors;
import sluice.store.db.Dialect;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.Migrations;
import sluice.store.db.ReadPool;
import sluice.store.db.Sqlite;
import sluice.store.directory.SqlDirectory;
import sluice.store.directory.SqlPendingDomains;
import sluice.store.mailbox.SqlMailboxFolders;
import sluice.store.mailbox.SqlMailboxStore;
import sluice.store.quarantine.SqlQuarantine;
import sluice.store.rule.SqlTransportRules;
import sluice.store.spool.SqlSpool;
import sluice.store.dkim.SqlDkimSigningKeys;
import sluice.store.policy.SqlPolicies;
import sluice.store.spam.SqlOrgSpamModels;
import sluice.store.trace.SqlTrace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded store: one SQLite file in the data directory ({@code sluice.db}), migrated on open,
 * one group-commit writer shared by the spool, the directory, the connectors, the mailbox store,
 * the trace and the quarantine, and a few read connections. A lock file keeps a second Sluice process off the same directory.
 *
 * <pre>{@code
 * try (EmbeddedStore store = EmbeddedStore.open(Path.of("data"), InstantSource.system())) {
 *     Spool spool = store.spool(); ...
 * }
 * }</pre>
 */
public final class EmbeddedStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);
    private static final int READERS = 4;
    private static final int TRACE_BUFFER = 100_000;

    private final FileChannel lockChannel;
    private final GroupCommitWriter writer;
    private final ReadPool readers;
    private final SqlSpool spool;
    private final SqlDirectory directory;
    private final SqlConnectors connectors;
    private final SqlMailboxStore mailboxes;
    private final SqlMailboxFolders mailboxFolders;
    private final SqlTrace trace;
    private final SqlPolicies policies;
    private final SqlOrgSpamModels spamTraining;
    private final SqlDkimSigningKeys dkimKeys;
    private final SqlQuarantine quarantine;
    private final SqlUsers users;
    private final SqlAuditLog auditLog;
    private final SqlTransportRules transportRules;
    private final SqlPendingDomains pendingDomains;

    private EmbeddedStore(FileChannel lockChannel, Path file, InstantSource clock) {
        this.lockChannel = lockChannel;
        Migrations.migrate(Sqlite.url(file), Dialect.SQLITE);
        this.writer = new GroupCommitWriter(Sqlite.openWriter(file), "sluice-store-writer");
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < READERS; i++) connections.add(Sqlite.openReader(file));
        this.readers = new ReadPool(connections);
        this.spool = new SqlSpool(writer, readers, clock);
        this.directory = new SqlDirectory(writer, readers, Dialect.SQLITE);
        this.connectors = new SqlConnectors(writer, readers, Dialect.SQLITE, directory);
        MailboxChanges mailboxChanges = new MailboxChanges(); // one signal: delivery and IMAP write the same folders
        this.mailboxes = new SqlMailboxStore(writer, readers, clock, mailboxChanges);
        this.mailboxFolders = new SqlMailboxFolders(writer, readers, clock, mailboxChanges);
        this.trace = new SqlTrace(writer, readers, TRACE_BUFFER);
        this.policies = new SqlPolicies(writer, readers, clock);
        this.spamTraining = new SqlOrgSpamModels(writer, readers, clock);
        this.dkimKeys = new SqlDkimSigningKeys(writer, readers, directory);
        this.quarantine = new SqlQuarantine(writer, readers);
        this.users = new SqlUsers(writer, readers, Dialect.SQLITE);
        this.auditLog = new SqlAuditLog(writer, readers);
        this.transportRules = new SqlTransportRules(writer, readers, Dialect.SQLITE, directory);
        this.pendingDomains = new SqlPendingDomains(writer, readers, directory);
    }

    /** Opens (creating if needed) the store in {@code dataDirectory}. */
    public static EmbeddedStore open(Path dataDirectory, InstantSource clock) {
        FileChannel lock = lock(dataDirectory);
        try {
            Path file = dataDirectory.resolve("sluice.db");
            ownerOnly(file);
            EmbeddedStore store = new EmbeddedStore(lock, file, clock);
            log.info("store opened in {}", dataDirectory.toAbsolutePath());
            return store;
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    private static FileChannel lock(Path dataDirectory) {
        try {
            DataDirectory.create(dataDirectory);
            warnWhenExposed(dataDirectory);
            FileChannel channel = FileChannel.open(dataDirectory.resolve("sluice.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM already holds it
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the data directory " + dataDirectory.toAbsolutePath()
                        + " is in use by another Sluice process (or this one); stop it or choose another directory");
            }
            return channel;
        } catch (java.nio.file.AccessDeniedException e) {
            throw new StoreException("cannot use the data directory " + dataDirectory.toAbsolutePath() + ": permission denied for "
                    + e.getFile() + " to user " + System.getProperty("user.name") + "; give that user the directory "
                    + "(chown -R) or choose another dataDir", e);
        } catch (IOException e) {
            throw new StoreException("cannot use the data directory " + dataDirectory.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static void warnWhenExposed(Path dataDirectory) throws IOException {
        Path dir = dataDirectory.toAbsolutePath();
        if (DataDirectory.openToOthers(dir))
            log.warn("the data directory {} is open to other users of this machine ({}), and it holds mail, DKIM keys and "
                    + "password hashes; make it owner-only: chmod 700 {} (under systemd: StateDirectoryMode=0700)",
                    dir, PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir);
        Optional<UserPrincipal> owner = DataDirectory.foreignOwner(dir);
        if (owner.isPresent()) {
            String theirs = owner.get().getName();
            String mine = System.getProperty("user.name");
            if (mine.equals("root"))
                log.warn("Sluice runs as root with the data directory {} of {}; run it as {} (or another unprivileged user "
                        + "that owns the directory), not as root", dir, theirs, theirs);
            else
                log.warn("the data directory {} belongs to {}, not to {} that runs Sluice, so {} can read the mail, DKIM keys "
                        + "and password hashes in it whatever its mode; run Sluice as {}, or give it to {}: chown -R {} {}",
                        dir, theirs, mine, theirs, theirs, mine, mine, dir);
        }
    }

    /**
     * SQLite creates its files with the umask's permissions (usually rw-r--r--), so under a data
     * directory the operator made open (install -d, systemd's StateDirectory=) every user could read
     * the mail: the database is made owner-only before SQLite first opens it.
     */
    private static void ownerOnly(Path file) {
        try {
            for (Path f : DataDirectory.ownerOnlyDatabase(file))
                log.warn("{} can be read by other users of this machine and belongs to another user, so Sluice cannot "
                        + "make it owner-only; as its owner or root: chmod 600 {}", f.toAbsolutePath(), f.toAbsolutePath());
        } catch (IOException e) {
            throw new StoreException("cannot make the database " + file.toAbsolutePath() + " owner-only: " + e.getMessage(), e);
        }
    }

    public SqlSpool spool() { return spool; }
    public SqlDirectory directory() { return directory; }
    public SqlConnectors connectors() { return connectors; }
    public SqlMailboxStore mailboxes() { return mailboxes; }
    public SqlMailboxFolders mailboxFolders() { return mailboxFolders; }
    public SqlTrace trace() { return trace; }
    public SqlPolicies policies() { return policies; }
    public SqlOrgSpamModels spamTraining() { return spamTraining; }
    public SqlDkimSigningKeys dkimKeys() { return dkimKeys; }
    public SqlQuarantine quarantine() { return quarantine; }
    public SqlUsers users() { return users; }
    public SqlAuditLog auditLog() { return auditLog; }
    public SqlTransportRules transportRules() { return transportRules; }
    public SqlPendingDomains pendingDomains() { return pendingDomains; }

    /** The shared writer: its commit and task counts show how well commits are grouped. */
    public GroupCommitWriter writer() { return writer; }

    /**
     * Writes the remaining trace events, lets queued writes commit, then closes the database. Call
     * after the SMTP listener and queue runner stopped; writes attempted afterwards fail.
     */
    @Override
    public void close() {
        trace.close();
        writer.close();
        readers.close();
        closeQuietly(lockChannel);
        log.info("store closed");
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("could not release the data directory lock", e);
        }
    }
}

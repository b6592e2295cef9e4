package sluice.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node's data directory holds every organization's mail, DKIM private keys, password hashes and
 * the admin token, so Sluice makes it owner-only (rwx------) when it creates it, as Postfix keeps its
 * queue. A directory the operator made is left as it is (packaging and systemd create it 0755); the
 * store warns when others can read it or when it belongs to another user, and keeps the database
 * files themselves owner-only, since under such a directory they would otherwise get the umask's
 * permissions (rw-r--r--).
 *
 * <p>Where the directory's file system has no POSIX permissions, nothing is created with or set to a
 * mode and nothing is reported.
 */
public final class DataDirectory {

    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    /** SQLite's companions of a database in WAL mode: it creates them with the database file's mode. */
    private static final List<String> WAL_SUFFIXES = List.of("-wal", "-shm");

    private DataDirectory() {
    }

    /**
     * Creates {@code dir} and any missing parents owner-only, where the file system has POSIX
     * permissions.
     *
     * @throws IOException also when the file system claims POSIX permissions but cannot create a
     *                     directory with them; the message says so and what to do
     */
    public static void create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        if (!posix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            throw new IOException("the file system of " + dir.toAbsolutePath() + " cannot create it owner-only ("
                    + e.getMessage() + "); create the directory yourself, readable by the user that runs Sluice only", e);
        }
    }

    /**
     * Whether users other than the owner (its group or anyone) may use {@code path}, a directory or a
     * file, in any way (false where there are no POSIX permissions).
     */
    public static boolean openToOthers(Path path) throws IOException {
        if (!posix(path)) return false;
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
        return p.stream().anyMatch(GROUP_OR_OTHERS::contains);
    }

    /**
     * The owner of {@code dir} when that is not the user this process runs as (that user can read
     * everything in it, whatever the mode); empty when it is, or when either cannot be told (no owner
     * attribute, or a process user without a name, as in containers run under an arbitrary uid).
     */
    public static Optional<UserPrincipal> foreignOwner(Path dir) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("owner")) return Optional.empty();
        Optional<UserPrincipal> me = processUser(dir);
        if (me.isEmpty()) return Optional.empty();
        UserPrincipal owner = Files.getOwner(dir);
        return owner.equals(me.get()) ? Optional.empty() : Optional.of(owner);
    }

    /**
     * Makes the embedded database {@code db} and its WAL companions owner-only (rw-------) before
     * SQLite opens them. A missing database is created empty with that mode, which SQLite treats as a
     * new database and copies to {@code -wal} and {@code -shm}; otherwise those of the three that
     * exist, are open to others and belong to this process are set to it (when the process user has
     * no name, a change the file system refuses means the file is not ours). Call with the data
     * directory locked, before the schema is migrated.
     *
     * @return the files that stay readable by others because they belong to another user
     */
    public static List<Path> ownerOnlyDatabase(Path db) throws IOException {
        if (!posix(db)) return List.of();
        try {
            Files.createFile(db, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (FileAlreadyExistsException e) {
            // an existing database, made owner-only below
        } catch (UnsupportedOperationException e) {
            throw new IOException("the file system of " + db.toAbsolutePath() + " cannot create the database owner-only ("
                    + e.getMessage() + ")", e);
        }
        Optional<UserPrincipal> me = processUser(db);
        List<Path> others = new ArrayList<>();
        for (Path f : databaseFiles(db)) {
            if (!Files.exists(f) || !openToOthers(f)) continue;
            if (me.isPresent() && !Files.getOwner(f).equals(me.get())) {
                others.add(f);
                continue;
            }
            try {
                String was = PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
                Files.setPosixFilePermissions(f, OWNER_ONLY_FILE);
                log.warn("made {} owner-only (was {}): it holds every organization's mail; a group that should read it "
                        + "(backups) reads a copy or a dump instead", f.toAbsolutePath(), was);
            } catch (FileSystemException e) {
                if (me.isPresent()) throw e;
                others.add(f); // a user without a name may only change its own files: this one is not
            }
        }
        return others;
    }

    private static List<Path> databaseFiles(Path db) {
        List<Path> files = new ArrayList<>(List.of(db));
        for (String suffix : WAL_SUFFIXES) files.add(db.resolveSibling(db.getFileName() + suffix));
        return files;
    }

    /**
     * The user this JVM runs as, looked up by name on {@code p}'s file system; empty when that user
     * has no name there (the JVM then reports it as "?").
     */
    private static Optional<UserPrincipal> processUser(Path p) {
        try {
            return Optional.of(p.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Whether the file system {@code p} lives on has POSIX permissions (not the default one's: a data directory may be elsewhere). */
    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

package sluice.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.account.AuditEntry;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The data directory holds every tenant's mail and the DKIM keys: others may not read what Sluice creates. */
class DataDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void aDataDirectoryTheStoreCreatesIsOwnerOnlyParentsToo() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "no POSIX permissions on this file system");
        Path dir = tmp.resolve("var/lib/sluice");

        try (EmbeddedStore ignored = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(mode(dir)).isEqualTo("rwx------");
            assertThat(mode(dir.getParent())).isEqualTo("rwx------");
            assertThat(DataDirectory.openToOthers(dir)).isFalse();
        }
    }

    @Test
    void aDirectoryTheOperatorMadeIsLeftAsItIsAndCountsAsOpenWhenItsGroupMayRead() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "no POSIX permissions on this file system");
        Path dir = Files.createDirectory(tmp.resolve("shared"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---")); // whatever the umask did

        DataDirectory.create(dir);

        assertThat(mode(dir)).isEqualTo("rwxr-x---");
        assertThat(DataDirectory.openToOthers(dir)).isTrue();
    }

    /** Packaging (install -d) and systemd's StateDirectory= make the directory 0755: the umask would leak the mail. */
    @Test
    void inADirectoryMadeWorldReadableTheDatabaseAndItsWalFilesAreOwnerOnly() throws Exception {
        Path dir = worldReadableDirectory();

        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.auditLog().record(new AuditEntry(0, Instant.parse("2026-11-28T12:00:00Z"), "ann", null, "user.create", "u-1", "{}"));

            assertThat(dir.resolve("sluice.db-wal")).exists();
            assertThat(mode(dir.resolve("sluice.db"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("sluice.db-wal"))).isEqualTo("rw-------");
            assertThat(mode(dir.resolve("sluice.db-shm"))).isEqualTo("rw-------");
        }
    }

    @Test
    void anExistingDatabaseAndWalFilesLeftOpenByAnEarlierVersionAreMadeOwnerOnly() throws Exception {
        Path dir = worldReadableDirectory();
        try (EmbeddedStore ignored = EmbeddedStore.open(dir, InstantSource.system())) {
            // the schema exists now
        }
        Path db = dir.resolve("sluice.db");
        Path wal = dir.resolve("sluice.db-wal");
        Path shm = dir.resolve("sluice.db-shm");
        Files.deleteIfExists(wal);
        Files.deleteIfExists(shm);
        Files.createFile(wal); // as a crash leaves them; empty ones SQLite starts over
        Files.createFile(shm);
        for (Path f : new Path[]{db, wal, shm}) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.auditLog().record(new AuditEntry(0, Instant.parse("2026-11-28T12:00:00Z"), "ann", null, "user.create", "u-1", "{}"));

            assertThat(mode(db)).isEqualTo("rw-------");
            assertThat(mode(wal)).isEqualTo("rw-------");
            assertThat(mode(shm)).isEqualTo("rw-------");
        }
    }

    /** Whatever its mode, the owner of the directory can read everything in it. */
    @Test
    void aDirectoryOfAnotherUserHasThatUserAsForeignOwner() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "no POSIX permissions on this file system");
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Path theirs;
        String expected;
        if ("root".equals(System.getProperty("user.name"))) {
            theirs = Files.createDirectory(tmp.resolve("theirs"));
            UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(theirs, nobody);
            expected = "nobody";
        } else {
            theirs = Path.of("/");
            expected = "root";
        }

        assertThat(DataDirectory.foreignOwner(mine)).isEmpty();
        assertThat(DataDirectory.foreignOwner(theirs)).hasValueSatisfying(owner -> assertThat(owner.getName()).isEqualTo(expected));
    }

    /** Only its owner (or root) may change a file's mode: Sluice leaves another user's database and says so. */
    @Test
    void aDatabaseFileOfAnotherUserIsLeftAsItIsAndNamedToTheCaller() throws Exception {
        Path dir = worldReadableDirectory();
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file to another user");
        Path db = Files.createFile(dir.resolve("sluice.db"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setOwner(db, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

        assertThat(DataDirectory.ownerOnlyDatabase(db)).containsExactly(db);
        assertThat(mode(db)).isEqualTo("rw-r--r--");
    }

    /** POSIX support is a property of the directory's file system, not of the default one. */
    @Test
    void onAFileSystemWithoutPosixPermissionsTheDirectoryIsCreatedPlainAndNothingIsReported() throws Exception {
        URI zip = URI.create("jar:" + tmp.resolve("data.zip").toUri());
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            assumeTrue(!fs.supportedFileAttributeViews().contains("posix"), "this zip file system has POSIX permissions");
            Path dir = fs.getPath("/var/lib/sluice");

            DataDirectory.create(dir);

            assertThat(Files.isDirectory(dir)).isTrue();
            assertThat(DataDirectory.openToOthers(dir)).isFalse();
            assertThat(DataDirectory.foreignOwner(dir)).isEmpty();
            assertThat(DataDirectory.ownerOnlyDatabase(dir.resolve("sluice.db"))).isEmpty();
        }
    }

    /** A 0755 directory in which a file created under the current umask is readable by others, as in production. */
    private Path worldReadableDirectory() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "no POSIX permissions on this file system");
        Path dir = Files.createDirectory(tmp.resolve("sluice"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path probe = Files.createFile(dir.resolve("probe"));
        assumeTrue(DataDirectory.openToOthers(probe), "the umask keeps new files owner-only anyway: the test could not fail");
        Files.delete(probe);
        return dir;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}

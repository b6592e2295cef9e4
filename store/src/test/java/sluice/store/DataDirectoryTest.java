package sluice.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent()))).isEqualTo("rwx------");
            assertThat(DataDirectory.openToOthers(dir)).isFalse();
        }
    }

    @Test
    void aDirectoryTheOperatorMadeIsLeftAsItIsAndReportedWhenOthersCanRead() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "no POSIX permissions on this file system");
        Path dir = Files.createDirectory(tmp.resolve("shared"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---")); // whatever the umask did

        DataDirectory.create(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-x---");
        assertThat(DataDirectory.openToOthers(dir)).isTrue();
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
        }
    }
}

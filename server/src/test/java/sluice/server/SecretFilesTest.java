package sluice.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bootstrap token and the self-signed key are owner-only files, and no leftover path is written through. */
class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void aNewAdminTokenIsOwnerOnlyAndKeptAcrossStarts() throws Exception {
        Path data = dir.resolve("data");

        String token = Secrets.adminToken("", data);

        Path file = data.resolve("admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo(token + "\n");
        assertThat(data.resolve("admin-token.tmp")).doesNotExist();
        assertThat(Secrets.adminToken("", data)).isEqualTo(token);
        assertThat(Secrets.adminToken("configured-token-0123456789", data)).isEqualTo("configured-token-0123456789");
    }

    @Test
    void aTemporaryFileLeftAsALinkIsReplacedNotWrittenThrough() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path elsewhere = Files.writeString(dir.resolve("world-readable.txt"), "");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(data.resolve("admin-token.tmp"), elsewhere);

        String token = Secrets.adminToken("", data);

        assertThat(Files.readString(elsewhere)).doesNotContain(token).isEmpty();
        assertThat(Files.isSymbolicLink(data.resolve("admin-token"))).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin-token")))).isEqualTo("rw-------");
    }

    @Test
    void anySecretWrittenThisWayIsOwnerOnly() throws Exception {
        Secrets.writeOwnerOnly(dir.resolve("key.p12"), new byte[]{1, 2, 3});

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.p12")))).isEqualTo("rw-------");
        assertThat(Files.readAllBytes(dir.resolve("key.p12"))).containsExactly(1, 2, 3);
    }

    /** POSIX support is a property of the secret's file system, not of the default one. */
    @Test
    void onAFileSystemWithoutPosixPermissionsASecretIsWrittenPlain() throws Exception {
        URI zip = URI.create("jar:" + dir.resolve("secrets.zip").toUri());
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            assumeTrue(!fs.supportedFileAttributeViews().contains("posix"), "this zip file system has POSIX permissions");

            Secrets.writeOwnerOnly(fs.getPath("/admin-token"), new byte[]{1, 2, 3});

            assertThat(Files.readAllBytes(fs.getPath("/admin-token"))).containsExactly(1, 2, 3);
        }
    }
}

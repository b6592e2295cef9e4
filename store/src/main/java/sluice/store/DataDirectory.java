package sluice.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The node's data directory holds every organization's mail, DKIM private keys, password hashes and
 * the admin token, so Sluice makes it owner-only (rwx------) when it creates it, as Postfix keeps its
 * queue. A directory the operator made is left as it is; the store warns when others can read it.
 */
public final class DataDirectory {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

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

    /** Whether users other than the owner may enter or read {@code dir} (false where there are no POSIX permissions). */
    public static boolean openToOthers(Path dir) throws IOException {
        if (!posix(dir)) return false;
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
        return p.stream().anyMatch(OTHERS::contains);
    }

    /** Whether the file system {@code p} lives on has POSIX permissions (not the default one's: a data directory may be elsewhere). */
    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

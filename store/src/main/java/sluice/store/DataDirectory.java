package sluice.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
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

    /** Creates {@code dir} and any missing parents owner-only, where the file system has POSIX permissions. */
    public static void create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        FileAttribute<?>[] ownerOnly = posix()
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        Files.createDirectories(dir, ownerOnly);
    }

    /** Whether users other than the owner may enter or read {@code dir} (false where there are no POSIX permissions). */
    public static boolean openToOthers(Path dir) throws IOException {
        if (!posix()) return false;
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
        return p.stream().anyMatch(OTHERS::contains);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}

package sluice.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets the node keeps on disk: created once, readable by the owner only. */
final class Secrets {

    static final String ADMIN_TOKEN_FILE = "admin-token";

    private Secrets() {
    }

    /**
     * Writes {@code content} to {@code file} through a temporary file that is created owner-only
     * (rw-------, where the file system has POSIX permissions), so the secret is never readable under
     * the umask's permissions, not even for the moment between writing and a chmod. (POSIX support is
     * that of the file's own file system: a data directory may live on another.) A temporary file
     * left by a crash, or planted as a symbolic link, is removed first rather than written through.
     * Then the temporary file is synced and atomically renamed over {@code file}.
     */
    static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // does not follow a link
        FileAttribute<?>[] ownerOnly = tmp.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(tmp, ownerOnly); // fails if something appeared there meanwhile
        } catch (UnsupportedOperationException e) {
            throw new IOException("the file system of " + file.toAbsolutePath() + " cannot create it owner-only ("
                    + e.getMessage() + ")", e);
        }
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            out.write(content);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The bootstrap admin token: the configured one, else the one kept in {@code dataDir/admin-token}, else a new one. */
    static String adminToken(NodeConfig config) throws IOException {
        return adminToken(config.adminToken(), config.dataDir());
    }

    static String adminToken(String configured, Path dataDir) throws IOException {
        if (!configured.isBlank()) return configured;
        Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
        if (Files.exists(file)) return Files.readString(file).strip();
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        sluice.store.DataDirectory.create(dataDir);
        writeOwnerOnly(file, (token + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return token;
    }
}

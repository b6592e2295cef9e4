package sluice.server;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets the node keeps on disk: created once, readable by the owner only. */
final class Secrets {

    private Secrets() {
    }

    static void restrictToOwner(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** The bootstrap admin token: the configured one, else the one kept in {@code dataDir/admin-token}, else a new one. */
    static String adminToken(NodeConfig config) throws IOException {
        if (!config.adminToken().isBlank()) return config.adminToken();
        Path file = config.dataDir().resolve("admin-token");
        if (Files.exists(file)) return Files.readString(file).strip();
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Files.createDirectories(config.dataDir());
        Path tmp = file.resolveSibling("admin-token.tmp");
        Files.writeString(tmp, token + "\n");
        restrictToOwner(tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return token;
    }
}

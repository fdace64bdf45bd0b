package dev.hostops.cli.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The jar a node agent service runs: a copy in a directory only administrators write, named after
 * its content. Why a copy: a build rewrites {@code cli/target/*.jar} in place, and a JVM whose jar
 * changes under it fails at its next class load, so a service running from the checkout would die
 * at the next {@code ./hostops} rebuild; and a user who may write the checkout must not be able to
 * change what a root or LocalSystem service runs. Why named after the content: installing a new
 * build writes a new file and never rewrites the one the running service has open.
 */
final class InstalledJar {
    private static final String PREFIX = "hostops-node-";

    private InstalledJar() {}

    /** Where {@code source} is installed in {@code libDir}: {@code hostops-node-<first 12 hex of its SHA-256>.jar}. */
    static Path target(Path source, Path libDir) throws IOException {
        return libDir.resolve(PREFIX + sha256(source).substring(0, 12) + ".jar");
    }

    /** Copies {@code source} to its {@link #target} unless it is there already; a reader never sees half a file. */
    static Path install(Path source, Path libDir) throws IOException {
        Path target = target(source, libDir);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Files.createDirectories(libDir);
        Path partial = Files.createTempFile(libDir, PREFIX, ".partial");
        try {
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }

    /**
     * Deletes the other installed jars (earlier builds), once the service runs from {@code keep};
     * one still open (Windows) stays until the next install.
     */
    static void removeOthers(Path libDir, Path keep) {
        removeMatching(libDir, keep);
    }

    /** Deletes every installed jar: the service is gone. */
    static void removeAll(Path libDir) {
        removeMatching(libDir, null);
    }

    private static void removeMatching(Path libDir, Path keep) {
        if (!Files.isDirectory(libDir)) {
            return;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(libDir, PREFIX + "*.jar")) {
            for (Path jar : jars) {
                if (!jar.equals(keep)) {
                    try {
                        Files.deleteIfExists(jar);
                    } catch (IOException inUse) {
                        // Windows keeps a running jar locked; the next install removes it.
                    }
                }
            }
        } catch (IOException e) {
            // Only tidying: the service is installed either way.
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

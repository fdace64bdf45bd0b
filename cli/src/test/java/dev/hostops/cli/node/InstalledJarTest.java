package dev.hostops.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's own copy of the agent's jar: named by content, written whole, never rewritten under a reader. */
class InstalledJarTest {
    @TempDir
    Path dir;

    @Test
    void aNewBuildIsANewFileAndTheOneARunningServiceHasOpenIsNeverRewritten() throws Exception {
        Path lib = dir.resolve("lib");
        Path build = dir.resolve("hostops-node.jar");
        byte[] first = "first build".repeat(10_000).getBytes();
        Files.write(build, first);
        Path installed = InstalledJar.install(build, lib);
        assertThat(installed.getFileName().toString()).matches("hostops-node-[0-9a-f]{12}\\.jar");
        assertThat(Files.readAllBytes(installed)).isEqualTo(first);
        assertThat(InstalledJar.install(build, lib)).as("the same build installs to the same file").isEqualTo(installed);

        try (InputStream running = Files.newInputStream(installed)) {
            byte[] head = running.readNBytes(5);
            // The checkout is rebuilt (in place, as Maven does) and installed again while the service runs.
            Files.write(build, "second build".repeat(10_000).getBytes());
            Path next = InstalledJar.install(build, lib);
            assertThat(next).isNotEqualTo(installed);
            assertThat(Files.readString(next)).startsWith("second build");
            byte[] rest = running.readAllBytes();
            byte[] seen = new byte[head.length + rest.length];
            System.arraycopy(head, 0, seen, 0, head.length);
            System.arraycopy(rest, 0, seen, head.length, rest.length);
            assertThat(seen).as("what the running service reads is still its own build").isEqualTo(first);

            InstalledJar.removeOthers(lib, next);
            assertThat(installed).doesNotExist();
            assertThat(next).exists();
        }
        try (var left = Files.list(lib)) {
            assertThat(left).as("no partial files left behind").containsExactly(lib.resolve(InstalledJar.target(build, lib).getFileName()));
        }
        InstalledJar.removeAll(lib);
        try (var left = Files.list(lib)) {
            assertThat(left).isEmpty();
        }
    }
}

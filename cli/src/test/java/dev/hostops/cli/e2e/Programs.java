package dev.hostops.cli.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Programs of this machine, found as a node agent finds them. */
public final class Programs {
    private Programs() {}

    /** The real path of {@code name} on this process's PATH (links followed); skips the test when there is none. */
    public static Path onPath(String name) throws Exception {
        String path = System.getenv("PATH");
        assumeTrue(path != null, "no PATH");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty() || !Path.of(dir).isAbsolute()) {
                continue; // the agent skips these too
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toRealPath();
            }
        }
        assumeTrue(false, name + " is not on the PATH");
        return null;
    }
}

package dev.hostops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the packaged jars are: the one this process runs from, and the node agent's own. */
public final class Jars {
    /** The node-only jar the build puts next to {@code hostops.jar} (see cli/pom.xml). */
    public static final String NODE_JAR = "hostops-node.jar";

    private Jars() {}

    /** The jar this process runs from, or empty when it runs from classes (tests, an IDE). */
    public static Optional<Path> running() {
        try {
            Path p = Path.of(Jars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? Optional.of(p) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * The jar a node agent should run from: {@value #NODE_JAR} beside the running jar when it is
     * there (an agent from it needs about 7 MiB less memory), else the running jar itself.
     */
    public static Optional<Path> forNodeAgent() {
        return running().map(jar -> {
            Path node = jar.resolveSibling(NODE_JAR);
            return Files.isRegularFile(node) ? node : jar;
        });
    }
}

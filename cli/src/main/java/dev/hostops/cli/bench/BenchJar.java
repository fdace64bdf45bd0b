package dev.hostops.cli.bench;

import java.nio.file.Path;

/** The packaged jar this process runs from, or null when running from classes (then process figures are skipped). */
final class BenchJar {
    private BenchJar() {}

    static Path path() {
        try {
            Path p = Path.of(BenchJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? p : null;
        } catch (Exception e) {
            return null;
        }
    }
}

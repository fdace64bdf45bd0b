package dev.hostops.node.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link StoreChild} in a new JVM with the test classpath and collects its stdout lines.
 *
 * <p>The child's stdout goes to a file, not a pipe: reading a pipe while the JDK reaps a killed
 * child can fail with "Stream closed" and lose the last lines, which are the ones a crash test
 * needs. After a kill the file holds every line the child wrote (a line is complete once its
 * newline is there).
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path stdout;

    private ChildJvm(Process process, Path stdout) {
        this.process = process;
        this.stdout = stdout;
    }

    static ChildJvm start(Path stderrFile, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StoreChild.class.getName());
        command.addAll(List.of(args));
        Path stdout = stderrFile.resolveSibling(stderrFile.getFileName() + ".stdout");
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()))
                .redirectOutput(stdout.toFile())
                .start();
        return new ChildJvm(p, stdout);
    }

    /** Writes a line to the child's stdin. */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    long count(String prefix) {
        return lines().stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** The complete lines so far. After {@link #killAndDrain()} or {@link #awaitExit()}: all of them. */
    List<String> lines() {
        String text;
        try {
            text = new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    /** SIGKILL (on POSIX), then read what the child had written before it died. */
    void killAndDrain() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    int awaitExit() throws InterruptedException {
        return process.waitFor();
    }

    /** Never leaves a child behind, even when a test fails half-way. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.hostops.node.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Runs {@link StoreChild} in a new JVM with the test classpath and collects its stdout lines. */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(this::readAll, "child-" + process.pid() + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(Path stderrFile, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StoreChild.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()))
                .start();
        return new ChildJvm(p);
    }

    private void readAll() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("READ-ERROR " + e);
        }
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
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    /** The lines so far. After {@link #killAndDrain()} or {@link #awaitExit()}: all of them. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** SIGKILL (on POSIX), then read what the child had written before it died. */
    void killAndDrain() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    int awaitExit() throws InterruptedException {
        int code = process.waitFor();
        reader.join();
        return code;
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

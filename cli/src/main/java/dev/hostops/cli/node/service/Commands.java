package dev.hostops.cli.node.service;

import java.io.IOException;
import java.util.List;

/** Runs a service-manager command, showing its output, failing with its exit code. */
final class Commands {
    private Commands() {}

    static void run(List<String> command) throws IOException, InterruptedException {
        int code = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (code != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + code);
        }
    }

    static void runIgnoringFailure(List<String> command) throws InterruptedException {
        try {
            new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            // Already gone: nothing to stop.
        }
    }
}

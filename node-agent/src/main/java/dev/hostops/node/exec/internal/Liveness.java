package dev.hostops.node.exec.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process still runs. {@link ProcessHandle#isAlive()} is also true for a zombie (a
 * process that exited but was not reaped yet), and when a killed child is orphaned its new parent
 * (init, or whatever runs as pid 1 in a container) may take a while to reap it. A zombie has
 * already released its memory and its file descriptors (so our pipes), so here it counts as dead.
 */
final class Liveness {
    private static final Path PROC = Path.of("/proc");
    private static final boolean HAS_PROC = Files.isDirectory(PROC.resolve("self"));

    private Liveness() {}

    static boolean isRunning(ProcessHandle h) {
        return h.isAlive() && !isZombie(h.pid());
    }

    /** Linux only: the state letter in /proc/PID/stat is the first field after the command name. */
    static boolean isZombie(long pid) {
        if (!HAS_PROC) {
            return false;
        }
        try {
            String stat = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat")),
                    StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')'); // the command name may itself contain ')' or spaces
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return false; // gone, or not readable: let isAlive() decide
        }
    }
}

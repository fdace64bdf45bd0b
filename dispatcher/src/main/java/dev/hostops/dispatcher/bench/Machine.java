package dev.hostops.dispatcher.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a run was made on, and how busy it was: figures are never quoted without it.
 *
 * @param loadAverage       /proc/loadavg's 1, 5 and 15 minute averages when this was read
 * @param openFilesLimit    this process's soft limit on open files (ulimit -n): each simulated node is a socket
 */
public record Machine(int cpus, String cpuModel, long memoryMiB, String os, String java, String loadAverage,
                      String openFilesLimit) {
    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), firstMatch("/proc/cpuinfo", "model name"),
                readMemoryMiB(), System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"), readLoadAverage(), openFiles());
    }

    static String readLoadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String openFiles() {
        String line = firstMatch("/proc/self/limits", "Max open files");
        return line.equals("unknown") ? line : line.trim().split("\\s+")[0];
    }

    private static String firstMatch(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.startsWith("Max open files") ? l.substring(prefix.length()) : l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static long readMemoryMiB() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L);
        } catch (Exception e) {
            return -1;
        }
    }
}

package dev.hostops.node.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** What machine a benchmark ran on, so figures are never quoted without it. */
public record MachineInfo(int cores, long memoryMiB, String cpu, String os, String java) {
    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readMemoryMiB(), readCpu(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
    }

    private static String readCpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static long readMemoryMiB() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L);
        } catch (Exception e) {
            return -1;
        }
    }
}

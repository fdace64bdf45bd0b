package dev.hostops.cli.node.service;

import java.io.IOException;
import java.util.List;

/** Registers the node agent with the operating system's service manager. */
public interface ServiceInstaller {
    /** The files this installer writes and the commands it runs, for --dry-run and the docs. */
    Plan plan(ServiceSpec spec);

    /** Carries out the plan. */
    void install(ServiceSpec spec) throws IOException, InterruptedException;

    void uninstall(ServiceSpec spec) throws IOException, InterruptedException;

    /** A file to write and the commands to run afterwards. */
    record Plan(List<FileToWrite> files, List<List<String>> commands) {}

    record FileToWrite(java.nio.file.Path path, String content) {}
}

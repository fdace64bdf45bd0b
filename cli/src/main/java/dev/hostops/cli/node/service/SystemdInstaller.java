package dev.hostops.cli.node.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A systemd unit for Linux: restarts the agent when it dies, gives it a clean stop (SIGTERM, then
 * the agent cancels running commands and says offline), logs to the journal.
 */
public final class SystemdInstaller implements ServiceInstaller {
    private final Path unitDirectory;

    public SystemdInstaller(Path unitDirectory) {
        this.unitDirectory = unitDirectory;
    }

    public static SystemdInstaller system() {
        return new SystemdInstaller(Path.of("/etc/systemd/system"));
    }

    String unit(ServiceSpec spec) {
        String exec = spec.command().stream().map(SystemdInstaller::quote).collect(Collectors.joining(" "));
        return String.join("\n",
                "[Unit]",
                "Description=hostops node agent (runs allowlisted host commands from the broker)",
                "Wants=network-online.target",
                "After=network-online.target",
                "",
                "[Service]",
                "Type=simple",
                "WorkingDirectory=" + spec.workingDirectory(),
                "ExecStart=" + exec,
                "Restart=always",
                "RestartSec=2",
                "KillMode=mixed",
                "TimeoutStopSec=30",
                "",
                "[Install]",
                "WantedBy=multi-user.target",
                "");
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=+-]+") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private Path unitFile(ServiceSpec spec) {
        return unitDirectory.resolve(spec.name() + ".service");
    }

    @Override
    public Plan plan(ServiceSpec spec) {
        return new Plan(List.of(new FileToWrite(unitFile(spec), unit(spec))), List.of(
                List.of("systemctl", "daemon-reload"),
                List.of("systemctl", "enable", spec.name()),
                // restart, not start: installing again (a new build) must replace a running agent
                List.of("systemctl", "restart", spec.name())));
    }

    @Override
    public void install(ServiceSpec spec) throws IOException, InterruptedException {
        Plan plan = plan(spec);
        for (FileToWrite f : plan.files()) {
            Files.createDirectories(f.path().getParent());
            Files.writeString(f.path(), f.content());
        }
        for (List<String> c : plan.commands()) {
            Commands.run(c);
        }
    }

    @Override
    public void uninstall(ServiceSpec spec) throws IOException, InterruptedException {
        Commands.runIgnoringFailure(List.of("systemctl", "disable", "--now", spec.name()));
        Files.deleteIfExists(unitFile(spec));
        Commands.run(List.of("systemctl", "daemon-reload"));
    }
}

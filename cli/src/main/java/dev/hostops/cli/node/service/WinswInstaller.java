package dev.hostops.cli.node.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A Windows service through WinSW (https://github.com/winsw/winsw), the widely used wrapper that
 * runs any program as a service: a copy of {@code WinSW-x64.exe} named after the service sits next
 * to an XML file of the same name. WinSW restarts the agent when it dies and stops it with
 * Ctrl+C-like signalling so running commands are cancelled and reported.
 */
public final class WinswInstaller implements ServiceInstaller {
    private final Path wrapperExe;
    private final Path serviceDirectory;

    /**
     * @param wrapperExe       the downloaded WinSW-x64.exe
     * @param serviceDirectory where the service's exe, xml and logs live (e.g. C:\ProgramData\hostops)
     */
    public WinswInstaller(Path wrapperExe, Path serviceDirectory) {
        this.wrapperExe = wrapperExe;
        this.serviceDirectory = serviceDirectory;
    }

    String xml(ServiceSpec spec) {
        List<String> cmd = spec.command();
        StringBuilder args = new StringBuilder();
        for (String a : cmd.subList(1, cmd.size())) {
            if (args.length() > 0) {
                args.append(' ');
            }
            args.append(a.contains(" ") ? "\"" + a + "\"" : a);
        }
        return String.join("\n",
                "<service>",
                "  <id>" + spec.name() + "</id>",
                "  <name>hostops node agent</name>",
                "  <description>Runs allowlisted host commands (git, docker compose) requested through the broker.</description>",
                "  <executable>" + escape(cmd.get(0)) + "</executable>",
                "  <arguments>" + escape(args.toString()) + "</arguments>",
                "  <workingdirectory>" + escape(spec.workingDirectory().toString()) + "</workingdirectory>",
                "  <startmode>Automatic</startmode>",
                "  <delayedAutoStart>true</delayedAutoStart>",
                "  <onfailure action=\"restart\" delay=\"2 sec\"/>",
                "  <stoptimeout>30 sec</stoptimeout>",
                "  <log mode=\"roll-by-size\"><sizeThreshold>10240</sizeThreshold><keepFiles>5</keepFiles></log>",
                "</service>",
                "");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private Path exe(ServiceSpec spec) {
        return serviceDirectory.resolve(spec.name() + ".exe");
    }

    @Override
    public Plan plan(ServiceSpec spec) {
        return new Plan(List.of(new FileToWrite(serviceDirectory.resolve(spec.name() + ".xml"), xml(spec))),
                List.of(List.of(exe(spec).toString(), "install"), List.of(exe(spec).toString(), "start")));
    }

    @Override
    public void install(ServiceSpec spec) throws IOException, InterruptedException {
        if (!Files.isRegularFile(wrapperExe)) {
            throw new IOException("WinSW not found at " + wrapperExe + "; download WinSW-x64.exe from the WinSW releases and pass --winsw PATH");
        }
        Files.createDirectories(serviceDirectory);
        Files.copy(wrapperExe, exe(spec), StandardCopyOption.REPLACE_EXISTING);
        for (FileToWrite f : plan(spec).files()) {
            Files.writeString(f.path(), f.content());
        }
        for (List<String> c : plan(spec).commands()) {
            Commands.run(c);
        }
    }

    @Override
    public void uninstall(ServiceSpec spec) throws IOException, InterruptedException {
        Commands.runIgnoringFailure(List.of(exe(spec).toString(), "stop"));
        Commands.run(List.of(exe(spec).toString(), "uninstall"));
    }
}

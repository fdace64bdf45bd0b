package dev.hostops.node.policy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed's Windows 11 host as an in-memory Windows file system: Git, Docker Desktop, curl, cmd, PowerShell 7, a
 * workdir C:\OpenClaw with a planted git.exe in it, and the scripts folder C:\HostOps.
 */
final class WindowsHost implements AutoCloseable {
    static final String PATH = "C:\\Program Files\\Git\\cmd;C:\\Program Files\\Docker\\Docker\\resources\\bin;"
            + "C:\\Windows\\System32;C:\\Program Files\\PowerShell\\7;\"C:\\Tools\";relative\\dir;";
    static final String PATHEXT = ".COM;.EXE;.BAT;.CMD";

    final FileSystem fs = Jimfs.newFileSystem(Configuration.windows());
    final HostModel host = HostModel.of(HostModel.OsFamily.WINDOWS, fs, PATH, PATHEXT);

    WindowsHost() {
        file("C:\\Program Files\\Git\\cmd\\git.exe");
        file("C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe");
        file("C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker-compose.exe");
        file("C:\\Windows\\System32\\curl.exe");
        file("C:\\Windows\\System32\\cmd.exe");
        file("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
        file("C:\\Program Files\\PowerShell\\7\\pwsh.exe");
        file("C:\\Tools\\npm.cmd");
        file("C:\\Tools\\readme.txt");
        file("C:\\HostOps\\upgrade-openclaw.ps1");
        file("C:\\OpenClaw\\git.exe"); // planted: the current directory is never searched
        file("C:\\OpenClaw\\tools\\build.exe");
        file("relative\\dir\\evil.exe");
        dir("C:\\OpenClaw\\sub");
        dir("C:\\Elsewhere");
    }

    Path path(String p) {
        return fs.getPath(p);
    }

    Path file(String p) {
        try {
            Path path = fs.getPath(p);
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, "MZ");
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir(String p) {
        try {
            return Files.createDirectories(fs.getPath(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        fs.close();
    }
}

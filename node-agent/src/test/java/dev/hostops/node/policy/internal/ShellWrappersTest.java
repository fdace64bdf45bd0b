package dev.hostops.node.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.node.policy.HostModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWrappersTest {
    private static final List<String> EXT = HostModel.DEFAULT_PATHEXT;

    private static boolean win(String file, String... args) {
        return ShellWrappers.detect(file, List.of(args), true, EXT).isPresent();
    }

    private static boolean unix(String file, String... args) {
        return ShellWrappers.detect(file, List.of(args), false, List.of()).isPresent();
    }

    @Test
    void cmdIsAlwaysAWrapperWhateverTheCase() {
        assertThat(win("cmd.exe", "/c", "git status")).isTrue();
        assertThat(win("CMD.EXE", "/K", "dir")).isTrue();
        assertThat(win("cmd.exe")).isTrue();
        assertThat(win("Cmd.Exe", "/s", "/c", "\"x\"")).isTrue();
    }

    @Test
    void powershellIsAWrapperUnlessItRunsAScriptFile() {
        assertThat(win("pwsh.exe", "-File", "C:\\HostOps\\upgrade.ps1", "-Ref", "main")).isFalse();
        assertThat(win("pwsh.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", "C:\\x.ps1")).isFalse();
        assertThat(win("PWSH.EXE", "-nop", "-f", "C:\\x.ps1")).isFalse();
        assertThat(win("pwsh.exe", "-Command", "Remove-Item -Recurse C:\\")).isTrue();
        assertThat(win("pwsh.exe", "-c", "dir")).isTrue();
        assertThat(win("pwsh.exe", "-EncodedCommand", "ZABpAHIA")).isTrue();
        assertThat(win("pwsh.exe", "-ec", "ZABpAHIA")).isTrue();
        assertThat(win("pwsh.exe", "-e", "ZABpAHIA")).isTrue();
        assertThat(win("pwsh.exe", "{ Get-ChildItem }")).isTrue();
        assertThat(win("pwsh.exe")).isTrue();
        assertThat(win("pwsh.exe", "-File", "-")).isTrue();
        assertThat(win("pwsh.exe", "-File")).isTrue();
        assertThat(win("powershell.exe", "C:\\x.ps1")).isTrue();
        assertThat(win("powershell.exe", "-File", "C:\\x.ps1")).isFalse();
        assertThat(win("powershell.exe", "/Command", "dir")).isTrue();
        assertThat(unix("pwsh", "-File", "/opt/x.ps1")).isFalse();
        assertThat(unix("pwsh", "-c", "ls")).isTrue();
    }

    @Test
    void posixShellsAreWrappersUnlessTheFirstArgumentIsAScript() {
        assertThat(unix("sh", "-c", "rm -rf /")).isTrue();
        assertThat(unix("bash", "-lc", "x")).isTrue();
        assertThat(unix("zsh", "-c", "x")).isTrue();
        assertThat(unix("dash", "-c", "x")).isTrue();
        assertThat(unix("bash", "-o", "posix", "-c", "x")).isTrue();
        assertThat(unix("bash")).isTrue();
        assertThat(unix("bash", "/opt/deploy.sh", "-c")).isFalse();
        assertThat(win("bash.exe", "-c", "x")).isTrue();
        assertThat(unix("python3", "-c", "import os")).isTrue();
        assertThat(unix("python3.12", "/opt/x.py")).isFalse();
        assertThat(unix("node", "-e", "1")).isTrue();
        assertThat(unix("perl", "-e", "1")).isTrue();
    }

    @Test
    void launchersAreAlwaysWrappers() {
        assertThat(unix("env", "sh", "-c", "x")).isTrue();
        assertThat(unix("env", "git", "status")).isTrue();
        assertThat(unix("sudo", "ls")).isTrue();
        assertThat(unix("xargs", "rm")).isTrue();
        assertThat(unix("awk", "BEGIN{system(\"x\")}")).isTrue();
        assertThat(win("wsl.exe", "ls")).isTrue();
        assertThat(win("forfiles.exe", "/c", "cmd /c x")).isTrue();
    }

    @Test
    void batchFilesAreWrappersOnlyWithCmdSpecialCharacters() {
        assertThat(win("npm.cmd", "install")).isFalse();
        assertThat(win("npm.cmd", "install", "x&calc")).isTrue();
        assertThat(win("deploy.bat", "%PATH%")).isTrue();
        assertThat(win("deploy.BAT", "a\"b")).isTrue();
    }

    @Test
    void ordinaryProgramsAreNotWrappers() {
        assertThat(win("git.exe", "-c", "x")).isFalse();
        assertThat(win("docker.exe", "compose", "up")).isFalse();
        assertThat(unix("git", "status")).isFalse();
        assertThat(unix("shred", "-c")).isFalse();
    }
}

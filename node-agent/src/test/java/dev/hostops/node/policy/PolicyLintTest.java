package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries that can never match, found on real files and links (Linux) and on the seed's Windows
 * host (an in-memory Windows file system). Each case is also checked against the engine: what the
 * lint calls dead, the engine indeed never matches.
 */
class PolicyLintTest {
    @TempDir
    Path tmp;

    @Test
    void aLinkAMissingFileAndAMissingRootAreReportedAndTheRealPathsAreNot() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        Path root = tmp.toRealPath();
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Path git = Files.writeString(bin.resolve("git"), "#!/bin/true\n");
        git.toFile().setExecutable(true);
        Path sh = Files.writeString(bin.resolve("dash"), "#!/bin/true\n");
        sh.toFile().setExecutable(true);
        Path link = Files.createSymbolicLink(bin.resolve("sh"), sh);
        Path work = Files.createDirectories(root.resolve("srv/app"));
        String yaml = """
                security: allowlist
                ask: off
                allow:
                  - path: "%s"
                    workdirs: ["%s", "%s"]
                  - path: "%s"
                  - path: "%s"
                  - path: "%s/*"
                  - path: "%s"
                deny:
                  - path: "%s"
                    args: ["-c"]
                  - path: "%s"
                  - path: "%s/nothing-here"
                """.formatted(git, work, root.resolve("srv/gone"), link, bin.resolve("gti"), bin, bin, link, git, bin);
        HostModel host = HostModel.of(HostModel.OsFamily.LINUX, FileSystems.getDefault(), bin.toString(), null);

        List<PolicyLint.Warning> warnings = PolicyLint.check(Policy.parse(yaml, null), host);

        assertThat(warnings).extracting(PolicyLint.Warning::toString).containsExactly(
                "allow[0] " + git + ": the workdir root " + root.resolve("srv/gone") + " is not a directory on this host, so no workdir is inside it",
                "allow[1] " + link + ": is a link to " + sh + "; entries match the real path of the program, so this one never matches: write " + sh,
                "allow[2] " + bin.resolve("gti") + ": no such file on this host",
                "allow[4] " + bin + ": is a directory, not a program",
                "deny[0] " + link + ": is a link to " + sh + "; entries match the real path of the program, so this one never matches: write " + sh);
        // The engine agrees: the deny entry on the link does not stop "sh -c", and the allow entry on the link allows nothing.
        PolicyEngine engine = new PolicyEngine(Policy.parse(yaml, null), host);
        Evaluation e = engine.evaluate(new CommandRequest(List.of("sh", "-c", "true"), null, Map.of(), null, null));
        assertThat(e.resolvedExecutable()).isEqualTo(sh.toString());
        assertThat(e.decision().rule()).doesNotStartWith("deny[0]").doesNotStartWith("allow[1]");
    }

    @Test
    void aPolicyOfRealPathsHasNothingToReport() throws Exception {
        try (WindowsHost win = new WindowsHost()) {
            String yaml = """
                    security: allowlist
                    ask: on-miss
                    allow:
                      - path: "C:/Program Files/Git/cmd/git.exe"
                        workdirs: ["C:/OpenClaw"]
                      - path: "c:/program files/docker/docker/resources/bin/docker.exe"
                      - path: "C:/Program Files/**/*.exe"
                    deny:
                      - path: "C:/Program Files/Git/cmd/git.exe"
                        args: ["reset --hard"]
                      - path: "C:/Tools/not-installed.exe"
                    """;
            assertThat(PolicyLint.check(Policy.parse(yaml, null), win.host)).isEmpty();
        }
    }

    @Test
    void onWindowsAMissingProgramAndAMissingRootAreReported() throws Exception {
        try (WindowsHost win = new WindowsHost()) {
            String yaml = """
                    security: allowlist
                    ask: on-miss
                    allow:
                      - path: "C:/Program Files/Git/bin/git.exe"
                        workdirs: ["D:/OpenClaw"]
                    """;
            assertThat(PolicyLint.check(Policy.parse(yaml, null), win.host)).extracting(PolicyLint.Warning::message)
                    .containsExactly("no such file on this host",
                            "the workdir root D:/OpenClaw is not a directory on this host, so no workdir is inside it");
        }
    }
}

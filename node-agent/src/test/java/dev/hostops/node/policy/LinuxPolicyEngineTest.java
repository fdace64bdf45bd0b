package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Linux host made of real temporary directories, real executables and real symbolic links. */
class LinuxPolicyEngineTest {
    @TempDir
    Path tmp;

    private Path bin;
    private Path tools;
    private Path work;
    private HostModel host;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        tmp = tmp.toRealPath();
        bin = Files.createDirectories(tmp.resolve("usr/bin"));
        tools = Files.createDirectories(tmp.resolve("opt/tools"));
        work = Files.createDirectories(tmp.resolve("srv/app"));
        executable(bin.resolve("git"));
        executable(bin.resolve("docker"));
        executable(bin.resolve("sh"));
        executable(bin.resolve("bash"));
        executable(bin.resolve("env"));
        executable(tools.resolve("deploy"));
        Files.writeString(bin.resolve("notes.txt"), "not executable");
        executable(work.resolve("git")); // planted in the workdir
        host = HostModel.of(HostModel.OsFamily.LINUX, FileSystems.getDefault(), "relative/bin::" + bin, null);
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/true\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String policy(String ask) {
        return """
                security: allowlist
                ask: %s
                allow:
                  - path: "%s/git"
                    args: ["status *", "fetch --all --prune"]
                    workdirs: ["%s"]
                  - path: "%s/*"
                    args: ["compose *"]
                  - path: "%s/bash"
                  - path: "%s/env"
                deny:
                  - path: "**/git*"
                    args: ["reset --hard*", "clean -*"]
                  - path: "**/docker*"
                    args: ["compose down -v*", "system prune*"]
                """.formatted(ask, bin, work, bin, bin, bin);
    }

    private Evaluation eval(String ask, String workdir, String... argv) throws PolicyException {
        return new PolicyEngine(Policy.parse(policy(ask), null), host)
                .evaluate(new CommandRequest(List.of(argv), workdir, Map.of(), null, null));
    }

    @Test
    void bareNamesComeFromTheAgentsPathNotTheWorkdir() throws Exception {
        Evaluation e = eval("off", work.toString(), "git", "status");
        assertThat(e.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(e.resolvedExecutable()).isEqualTo(bin.resolve("git").toString());
        assertThat(e.resolvedWorkdir()).isEqualTo(work.toString());
    }

    @Test
    void relativeArgv0IsJudgedByItsRealPath() throws Exception {
        Evaluation planted = eval("off", work.toString(), "./git", "status");
        assertThat(planted.resolvedExecutable()).isEqualTo(work.resolve("git").toString());
        assertThat(planted.error().code()).isEqualTo("ALLOWLIST_MISS");
        Evaluation dotdot = eval("off", work.toString(), "../../usr/bin/git", "status");
        assertThat(dotdot.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(dotdot.resolvedExecutable()).isEqualTo(bin.resolve("git").toString());
    }

    @Test
    void caseMattersOnLinux() throws Exception {
        assertThat(eval("off", work.toString(), "GIT", "status").error().code()).isEqualTo("EXECUTABLE_NOT_FOUND");
    }

    @Test
    void nonExecutableFilesAndRelativePathEntriesAreNotFound() throws Exception {
        assertThat(eval("off", work.toString(), "notes.txt").error().code()).isEqualTo("EXECUTABLE_NOT_FOUND");
        assertThat(eval("off", work.toString(), "nope").error().message()).contains("nope").contains("PATH");
    }

    @Test
    void aLinkNamedLikeAnAllowedBinaryThatPointsElsewhereIsDenied() throws Exception {
        Path evilDir = Files.createDirectories(tmp.resolve("home/u/bin"));
        Files.createSymbolicLink(evilDir.resolve("git"), tools.resolve("deploy"));
        String yaml = "security: allowlist\nask: off\nallow:\n  - path: \"" + evilDir + "/git\"\n";
        Evaluation e = new PolicyEngine(Policy.parse(yaml, null), host)
                .evaluate(new CommandRequest(List.of(evilDir.resolve("git").toString(), "status"), null, Map.of(), null, null));
        assertThat(e.resolvedExecutable()).isEqualTo(tools.resolve("deploy").toString());
        assertThat(e.error().code()).isEqualTo("ALLOWLIST_MISS");
    }

    @Test
    void aLinkToAnAllowedBinaryIsAllowedAndSoIsALinkedPathEntry() throws Exception {
        Path linkDir = Files.createDirectories(tmp.resolve("home/u/bin"));
        Files.createSymbolicLink(linkDir.resolve("g"), bin.resolve("git"));
        Evaluation e = eval("off", work.toString(), linkDir.resolve("g").toString(), "status");
        assertThat(e.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(e.resolvedExecutable()).isEqualTo(bin.resolve("git").toString());
        Path linkedBin = Files.createSymbolicLink(tmp.resolve("bin"), bin);
        HostModel linked = HostModel.of(HostModel.OsFamily.LINUX, FileSystems.getDefault(), linkedBin.toString(), null);
        Evaluation viaLink = new PolicyEngine(Policy.parse(policy("off"), null), linked)
                .evaluate(new CommandRequest(List.of("git", "status"), work.toString(), Map.of(), null, null));
        assertThat(viaLink.resolvedExecutable()).isEqualTo(bin.resolve("git").toString());
        assertThat(viaLink.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void workdirLinksAreJudgedByTheirTarget() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("etc"));
        Files.createSymbolicLink(work.resolve("escape"), outside);
        Evaluation e = eval("off", work.resolve("escape").toString(), "git", "status");
        assertThat(e.resolvedWorkdir()).isEqualTo(outside.toString());
        assertThat(e.error().code()).isEqualTo("WORKDIR_NOT_ALLOWED");
        assertThat(eval("off", work.resolve("../app/.").toString(), "git", "status").verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(eval("off", tmp.resolve("srv/app-evil").toString(), "git", "status").error().code())
                .isEqualTo("WORKDIR_NOT_FOUND");
    }

    @Test
    void shellWrappersAndLaunchersNeedAnApproval() throws Exception {
        Evaluation bash = eval("on-miss", work.toString(), "bash", "-c", "git reset --hard");
        assertThat(bash.verdict()).isEqualTo(Verdict.ASK);
        assertThat(bash.askReason()).startsWith("shell wrapper");
        assertThat(eval("off", work.toString(), "bash", "-c", "x").error().code()).isEqualTo("SHELL_WRAPPER");
        assertThat(eval("off", work.toString(), "env", "sh", "-c", "x").error().code()).isEqualTo("SHELL_WRAPPER");
        assertThat(eval("off", work.toString(), "/usr/bin/../bin/env", "git", "status").verdict()).isEqualTo(Verdict.DENY);
        assertThat(eval("off", work.toString(), "bash", tools.resolve("deploy").toString()).verdict()).isEqualTo(Verdict.ALLOW);
        // sh is not on the allowlist at all: a miss, which asks on-miss and names the wrapper.
        Evaluation sh = eval("on-miss", work.toString(), "sh", "-c", "x");
        assertThat(sh.askReason()).startsWith("allowlist miss").contains("shell wrapper");
    }

    @Test
    void denyRulesOnLinux() throws Exception {
        assertThat(eval("on-miss", work.toString(), "git", "-C", work.toString(), "reset", "--hard").error().code())
                .isEqualTo("DENIED_BY_RULE");
        assertThat(eval("on-miss", work.toString(), "git", "clean", "-fdx").error().code()).isEqualTo("DENIED_BY_RULE");
        assertThat(eval("on-miss", work.toString(), "docker", "compose", "down", "-v").error().code()).isEqualTo("DENIED_BY_RULE");
        assertThat(eval("on-miss", work.toString(), "docker", "system", "prune").error().code()).isEqualTo("DENIED_BY_RULE");
        assertThat(eval("on-miss", work.toString(), "docker", "compose", "up", "-d").verdict()).isEqualTo(Verdict.ALLOW);
    }
}

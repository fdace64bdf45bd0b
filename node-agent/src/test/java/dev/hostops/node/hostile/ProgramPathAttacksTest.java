package dev.hostops.node.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Attempts to run a program other than the one the allowlist names: relative names, {@code ..},
 * symbolic links, look-alike characters, Windows shells on a Linux host. The allowlist judges the
 * real path the host resolves, never argv[0] as sent (docs/POLICY.md, "Finding the program").
 */
class ProgramPathAttacksTest extends AgentUnderAttack {

    @Test
    void aBareNameIsLookedUpInTheAgentsPathAndJudgedThere() throws Exception {
        // `touch` resolves to /usr/bin/touch through the agent's own PATH, which is not allowed.
        Result r = assertRejected(exec(id(), List.of("touch", host.markers.resolve("touch").toString())), "ALLOWLIST_MISS");
        assertThat(r.resolvedExecutable()).isEqualTo(Path.of("/usr/bin/touch").toRealPath().toString());
    }

    @Test
    void aProgramPlantedInTheWorkdirIsNotWhatItsNameRuns() throws Exception {
        host.plant(host.work.resolve("evil"), "dot-slash-evil");
        assertRejected(with(exec(id(), List.of("./evil")), host.work.toString(), null, null, null), "ALLOWLIST_MISS");
    }

    @Test
    void aRelativePathLookingLikeTheAllowedFolderIsResolvedAgainstTheWorkdir() throws Exception {
        // work/bin/evil is not root/bin/evil: the relative path is judged where it really points
        host.plant(host.work.resolve("bin/evil"), "relative-bin-evil");
        assertRejected(with(exec(id(), List.of("bin/evil")), host.work.toString(), null, null, null), "ALLOWLIST_MISS");
    }

    @Test
    void dotDotOutOfAnAllowedFolderIsJudgedByWhereItLands() throws Exception {
        host.plant(host.root.resolve("evil"), "dotdot-evil");
        Result r = assertRejected(exec(id(), List.of(host.bin + "/../evil")), "ALLOWLIST_MISS");
        assertThat(r.resolvedExecutable()).isEqualTo(host.root.resolve("evil").toString());
    }

    @Test
    void aLinkInsideTheAllowedFolderPointingOutsideIsJudgedAsItsTarget() throws Exception {
        Path target = host.plant(host.root.resolve("outside/evil"), "link-out");
        Files.createSymbolicLink(host.bin.resolve("echo"), target);
        Result r = assertRejected(exec(id(), List.of(host.bin.resolve("echo").toString())), "ALLOWLIST_MISS");
        assertThat(r.resolvedExecutable()).isEqualTo(target.toString());
    }

    @Test
    void aLinkNamedLikeAnAllowedProgramPointingToAnotherIsJudgedAsTheOther() throws Exception {
        // work/echo -> /usr/bin/touch: the name says echo, the real path says touch
        Files.createSymbolicLink(host.work.resolve("echo"), Path.of("/usr/bin/touch"));
        assertRejected(exec(id(), List.of(host.work.resolve("echo").toString(), host.markers.resolve("echo").toString())),
                "ALLOWLIST_MISS");
    }

    @Test
    void aLinkOutsidePointingToAnAllowedProgramIsAllowedAndRunsThatProgram() throws Exception {
        // The documented reverse case: the real path is /usr/bin/echo, which is allowed, so it runs.
        Path alias = Files.createSymbolicLink(host.root.resolve("outside-alias"), Path.of("/usr/bin/echo"));
        String id = id();
        attacker.send(host.node, exec(id, List.of(alias.toString(), "via a link")));
        Result r = attacker.awaitResult(id);
        assertThat(r.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(r.resolvedExecutable()).isEqualTo(Path.of("/usr/bin/echo").toRealPath().toString());
        assertThat(r.policy().rule()).contains("/usr/bin/echo");
        assertThat(r.stdoutTail()).isEqualTo("via a link\n");
    }

    @Test
    void aFullWidthLookAlikeOfAProgramIsNotFound() throws Exception {
        // U+FF54 FULLWIDTH LATIN SMALL LETTER T: no such file, and no normalisation makes it one
        assertRejected(exec(id(), List.of("/usr/bin/\uFF54ouch", host.markers.resolve("fullwidth").toString())),
                "EXECUTABLE_NOT_FOUND");
    }

    @Test
    void aCyrillicLookAlikeOfAnAllowedFolderMissesTheAllowlist() throws Exception {
        // "оut" with U+043E CYRILLIC SMALL LETTER O exists and holds a program; the rule says Latin "out"
        Path lookAlike = host.plant(host.root.resolve("\u043Eut/mark"), "cyrillic-out");
        Result r = assertRejected(exec(id(), List.of(lookAlike.toString())), "ALLOWLIST_MISS");
        assertThat(r.resolvedExecutable()).isEqualTo(lookAlike.toString());
    }

    @Test
    void aCyrillicLookAlikeOfAnAllowedProgramIsNotFound() throws Exception {
        host.plant(host.bin.resolve("mark"), "real-mark-must-not-run");
        // "mаrk" with U+0430 CYRILLIC SMALL LETTER A does not exist: not found, and the Latin one never ran
        assertRejected(exec(id(), List.of(host.bin.resolve("m\u0430rk").toString())), "EXECUTABLE_NOT_FOUND");
    }

    @Test
    void cmdExeIsNotFoundOnLinux() throws Exception {
        assertRejected(exec(id(), List.of("cmd.exe", "/c", "touch " + host.markers.resolve("cmd"))), "EXECUTABLE_NOT_FOUND");
    }

    @Test
    void pwshEncodedCommandIsNotFoundWhenPowerShellIsAbsent() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(notOnPath("pwsh"), "pwsh is installed on this host");
        assertRejected(exec(id(), List.of("pwsh", "-EncodedCommand", "dABvAHUAYwBoACAAeAA=")), "EXECUTABLE_NOT_FOUND");
    }

    private static boolean notOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return false;
            }
        }
        return true;
    }
}

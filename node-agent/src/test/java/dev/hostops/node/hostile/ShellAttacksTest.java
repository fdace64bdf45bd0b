package dev.hostops.node.hostile;

import dev.hostops.contracts.message.Exec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attempts to get a shell: operators in a {@code command} string (split without a shell, so an
 * operator is a rejection), and {@code sh -c} / {@code bash -c} / {@code pwsh -EncodedCommand}
 * through a shell that is itself on the allowlist (the wrapper rule: with {@code ask: off} a refusal).
 */
class ShellAttacksTest extends AgentUnderAttack {

    @ParameterizedTest(name = "operator {0}")
    @ValueSource(strings = {";", "&&", "|", "||", "&", ">", "<", ">>", "$(", "`"})
    void shellOperatorsInACommandStringAreRejected(String operator) throws Exception {
        String marker = host.markers.resolve("op").toString();
        String line = switch (operator) {
            case "$(" -> "/usr/bin/echo $(/usr/bin/touch " + marker + ")";
            case "`" -> "/usr/bin/echo `/usr/bin/touch " + marker + "`";
            case ">", ">>" -> "/usr/bin/echo x " + operator + " " + marker;
            case "<" -> "/usr/bin/true < " + marker;
            default -> "/usr/bin/true " + operator + " /usr/bin/touch " + marker;
        };
        assertRejected(command(id(), host.node, line), "SHELL_SYNTAX");
    }

    @Test
    void shDashCOnAnAllowlistedShellIsAShellWrapper() throws Exception {
        assertRejected(exec(id(), List.of("/usr/bin/sh", "-c", "/usr/bin/touch " + host.markers.resolve("sh-c"))),
                "SHELL_WRAPPER");
    }

    @Test
    void bashDashCOnAnAllowlistedShellIsAShellWrapper() throws Exception {
        assertRejected(exec(id(), List.of("/usr/bin/bash", "-c", "/usr/bin/touch " + host.markers.resolve("bash-c"))),
                "SHELL_WRAPPER");
    }

    @Test
    void bashWithOptionsBeforeDashCIsStillAShellWrapper() throws Exception {
        assertRejected(exec(id(), List.of("bash", "-o", "posix", "-c", "/usr/bin/touch " + host.markers.resolve("bash-o"))),
                "SHELL_WRAPPER");
    }

    @Test
    void aShellReadingStandardInputIsAShellWrapper() throws Exception {
        assertRejected(exec(id(), List.of("/usr/bin/sh")), "SHELL_WRAPPER");
    }

    @Test
    void pwshEncodedCommandInAnAllowedFolderIsAShellWrapper() throws Exception {
        // a program named pwsh in bin/ (allowed by bin/*): the name makes it a wrapper
        Path pwsh = host.plant(host.bin.resolve("pwsh"), "pwsh");
        assertRejected(exec(id(), List.of(pwsh.toString(), "-EncodedCommand", "dABvAHUAYwBoACAAeAA=")), "SHELL_WRAPPER");
    }

    @Test
    void envAsALauncherIsAShellWrapper() throws Exception {
        // /usr/bin/env is not allowed here anyway; a launcher in an allowed folder is caught by its name
        Path env = host.plant(host.bin.resolve("env"), "env");
        assertRejected(exec(id(), List.of(env.toString(), "/usr/bin/touch", host.markers.resolve("env-x").toString())),
                "SHELL_WRAPPER");
    }

    @Test
    void aCommandStringCannotHideAWrapper() throws Exception {
        Exec e = command(id(), host.node, "/usr/bin/sh -c '/usr/bin/touch " + host.markers.resolve("quoted") + "'");
        assertRejected(e, "SHELL_WRAPPER");
    }
}

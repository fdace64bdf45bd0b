package dev.hostops.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    // --- The OpenClaw examples (from the exec calls the first user's Tier 2 agent sends) ---

    @Test
    void openClawUpgradeScript() {
        assertThat(CommandLine.split("pwsh -File C:\\HostOps\\upgrade-openclaw.ps1 -RepoPath C:\\OpenClaw"
                + " -ComposePath C:\\OpenClaw -Ref main -ServiceName openclaw-gateway"))
                .containsExactly("pwsh", "-File", "C:\\HostOps\\upgrade-openclaw.ps1", "-RepoPath", "C:\\OpenClaw",
                        "-ComposePath", "C:\\OpenClaw", "-Ref", "main", "-ServiceName", "openclaw-gateway");
        assertThat(CommandLine.split("pwsh -File C:\\HostOps\\upgrade-openclaw.ps1 -RepoPath C:\\OpenClaw -ComposePath C:\\OpenClaw -Ref main -RollbackOnFailure"))
                .endsWith("-Ref", "main", "-RollbackOnFailure")
                .hasSize(10);
    }

    @Test
    void openClawDirectExecSequence() {
        assertThat(CommandLine.split("git status --porcelain")).containsExactly("git", "status", "--porcelain");
        assertThat(CommandLine.split("git rev-parse HEAD")).containsExactly("git", "rev-parse", "HEAD");
        assertThat(CommandLine.split("git fetch --all --prune")).containsExactly("git", "fetch", "--all", "--prune");
        assertThat(CommandLine.split("git checkout main")).containsExactly("git", "checkout", "main");
        assertThat(CommandLine.split("git pull --ff-only")).containsExactly("git", "pull", "--ff-only");
        assertThat(CommandLine.split("docker compose up -d --build openclaw-gateway"))
                .containsExactly("docker", "compose", "up", "-d", "--build", "openclaw-gateway");
        assertThat(CommandLine.split("docker compose ps")).containsExactly("docker", "compose", "ps");
        assertThat(CommandLine.split("curl.exe -fsS http://127.0.0.1:18789/healthz"))
                .containsExactly("curl.exe", "-fsS", "http://127.0.0.1:18789/healthz");
        assertThat(CommandLine.split("curl.exe -fsS http://127.0.0.1:18789/readyz"))
                .containsExactly("curl.exe", "-fsS", "http://127.0.0.1:18789/readyz");
        assertThat(CommandLine.split("docker compose logs --tail=80 openclaw-gateway"))
                .containsExactly("docker", "compose", "logs", "--tail=80", "openclaw-gateway");
    }

    @Test
    void cdAndAndIsTheShellHabitWeRefuse() {
        // OpenClaw's advice: set workdir instead of "cd ... && ...".
        assertThatThrownBy(() -> CommandLine.split("cd C:\\OpenClaw && git pull --ff-only"))
                .isInstanceOf(CommandLine.ShellSyntaxException.class)
                .hasMessageContaining("'&'");
    }

    // --- Splitting rules ---

    @Test
    void spacesAndTabsSeparateAndRunsCollapse() {
        assertThat(CommandLine.split("  a \t b   c  ")).containsExactly("a", "b", "c");
        assertThat(CommandLine.split("")).isEmpty();
        assertThat(CommandLine.split(" \t ")).isEmpty();
    }

    @Test
    void singleQuotesKeepEverythingLiterally() {
        assertThat(CommandLine.split("echo 'a b' 'x;y|z&w' '$HOME `id` $(id) ${X}' 'C:\\\"q\\\\'"))
                .containsExactly("echo", "a b", "x;y|z&w", "$HOME `id` $(id) ${X}", "C:\\\"q\\\\");
    }

    @Test
    void doubleQuotesKeepSpacesAndOperatorsWithOnlyTwoEscapes() {
        assertThat(CommandLine.split("git commit -m \"fix: a; b && c | d > e\""))
                .containsExactly("git", "commit", "-m", "fix: a; b && c | d > e");
        assertThat(CommandLine.split("say \"she said \\\"hi\\\"\"")).containsExactly("say", "she said \"hi\"");
        assertThat(CommandLine.split("p \"a\\\\b\"")).containsExactly("p", "a\\b");
        // Any other backslash in double quotes stays, so Windows paths work quoted too.
        assertThat(CommandLine.split("dir \"C:\\Program Files\\Git\\cmd\"")).containsExactly("dir", "C:\\Program Files\\Git\\cmd");
    }

    @Test
    void aTrailingBackslashInDoubleQuotesMustBeDoubled() {
        assertThatThrownBy(() -> CommandLine.split("dir \"C:\\Program Files\\\""))
                .hasMessageContaining("unterminated double quote at position 4");
        assertThat(CommandLine.split("dir \"C:\\Program Files\\\\\"")).containsExactly("dir", "C:\\Program Files\\");
    }

    @Test
    void backslashIsLiteralOutsideDoubleQuotes() {
        assertThat(CommandLine.split("type C:\\a\\b.txt \\\\server\\share a\\ b"))
                .containsExactly("type", "C:\\a\\b.txt", "\\\\server\\share", "a\\", "b");
        // A backslash does not escape a quote outside quotes: this quote opens and is never closed.
        assertThatThrownBy(() -> CommandLine.split("echo \\\"x")).hasMessageContaining("unterminated double quote");
    }

    @Test
    void adjacentPiecesJoinIntoOneArgument() {
        assertThat(CommandLine.split("--name='a b'\"c d\"e")).containsExactly("--name=a bc de");
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() {
        assertThat(CommandLine.split("git commit -m ''")).containsExactly("git", "commit", "-m", "");
        assertThat(CommandLine.split("x \"\" y")).containsExactly("x", "", "y");
    }

    @Test
    void noGlobbingNoTildeNoCommentNoPercent() {
        assertThat(CommandLine.split("ls *.txt file?.log [ab]c ~/x # not-a-comment %PATH% a^b !x (y) {a,b}"))
                .containsExactly("ls", "*.txt", "file?.log", "[ab]c", "~/x", "#", "not-a-comment", "%PATH%", "a^b", "!x", "(y)", "{a,b}");
    }

    @Test
    void aDollarNotFollowedBySyntaxIsLiteral() {
        assertThat(CommandLine.split("echo $ a$ \"b $\" $%")).containsExactly("echo", "$", "a$", "b $", "$%");
    }

    // --- Rejections ---

    @ParameterizedTest
    @ValueSource(strings = {
        "git fetch; rm -rf /", "a;b",
        "git fetch && git pull", "a & b", "a&",
        "git log | more", "a||b",
        "echo $(id)", "echo \"$(id)\"",
        "echo ${HOME}", "echo \"${HOME}\"",
        "echo $HOME", "echo \"$HOME\"", "echo $_x", "echo x$PATH",
        "echo $1", "echo $?", "echo $$", "echo $!", "echo $#", "echo $*", "echo $@", "echo $-",
        "echo `id`", "echo \"`id`\"",
        "sort < in.txt", "echo x > out.txt", "echo x >> out.txt", "a 2>&1",
        "git fetch\ngit pull", "git fetch\r\n", "\"a\nb\"",
        "a\u0000b", "'a\u0000b'", "\"a\u0000b\"",
        "echo 'unterminated", "echo \"unterminated", "echo \"a\\\"", "'"})
    void shellSyntaxIsRejected(String command) {
        assertThatThrownBy(() -> CommandLine.split(command))
                .isInstanceOfSatisfying(CommandLine.ShellSyntaxException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SHELL_SYNTAX);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void theMessageSaysWhatAndWhere() {
        assertThatThrownBy(() -> CommandLine.split("git fetch; rm"))
                .hasMessageContaining("';'").hasMessageContaining("position 9");
        assertThatThrownBy(() -> CommandLine.split("echo 'abc"))
                .hasMessageContaining("unterminated single quote").hasMessageContaining("position 5");
        assertThatThrownBy(() -> CommandLine.split("echo $HOME"))
                .hasMessageContaining("$H");
    }

    @Test
    void newlinesInsideSingleQuotesAreLiteral() {
        assertThat(CommandLine.split("printf 'a\nb'")).containsExactly("printf", "a\nb");
    }

    @Test
    void resultIsAPlainList() {
        List<String> argv = CommandLine.split("a b");
        assertThat(argv).containsExactly("a", "b");
    }
}

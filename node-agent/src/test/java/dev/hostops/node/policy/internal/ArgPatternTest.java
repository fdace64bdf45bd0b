package dev.hostops.node.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgPatternTest {

    private static boolean all(String pattern, String... args) {
        return ArgPattern.parse(pattern).matchesAll(List.of(args));
    }

    private static boolean occurs(String pattern, String... args) {
        return ArgPattern.parse(pattern, false, true).occursIn(List.of(args));
    }

    @Test
    void literalTokensMustMatchTheWholeArgumentList() {
        assertThat(all("pull --ff-only", "pull", "--ff-only")).isTrue();
        assertThat(all("pull --ff-only", "pull", "--ff-only", "--rebase")).isFalse();
        assertThat(all("pull --ff-only", "pull")).isFalse();
        assertThat(all("status --porcelain", "status", "--porcelain")).isTrue();
    }

    @Test
    void quotingCannotSmuggleASpaceIntoOneToken() {
        // One argument "pull --ff-only" is not two arguments.
        assertThat(all("pull --ff-only", "pull --ff-only")).isFalse();
        assertThat(all("pull *", "pull --ff-only; rm -rf /")).isFalse();
        assertThat(all("pull *", "pull", "x y")).isTrue();
    }

    @Test
    void trailingStarMatchesAnyRemainingArgumentsIncludingNone() {
        assertThat(all("fetch *", "fetch")).isTrue();
        assertThat(all("fetch *", "fetch", "--all", "--prune")).isTrue();
        assertThat(all("fetch *", "pull")).isFalse();
        assertThat(all("*")).isTrue();
        assertThat(all("*", "anything", "at", "all")).isTrue();
    }

    @Test
    void starInTheMiddleIsExactlyOneArgumentAndDoubleStarAnyNumber() {
        assertThat(all("checkout * --", "checkout", "main", "--")).isTrue();
        assertThat(all("checkout * --", "checkout", "--")).isFalse();
        assertThat(all("checkout * --", "checkout", "a", "b", "--")).isFalse();
        assertThat(all("log ** --oneline", "log", "--oneline")).isTrue();
        assertThat(all("log ** --oneline", "log", "-n", "5", "--oneline")).isTrue();
    }

    @Test
    void starInsideATokenStaysInsideOnePathSegment() {
        assertThat(all("-File C:/HostOps/*.ps1 *", "-File", "C:/HostOps/upgrade.ps1", "-Ref", "main")).isTrue();
        assertThat(all("-File C:/HostOps/*.ps1 *", "-File", "C:/HostOps/../Windows/evil.ps1")).isFalse();
        assertThat(all("-File C:/HostOps/**.ps1", "-File", "C:/HostOps/sub/x.ps1")).isTrue();
        assertThat(all("rev-parse HEAD~?", "rev-parse", "HEAD~1")).isTrue();
        assertThat(all("--tail=*", "--tail=80")).isTrue();
    }

    @Test
    void onWindowsBackslashAndSlashAreTheSame() {
        ArgPattern p = ArgPattern.parse("-File C:/HostOps/*.ps1 *", true, false);
        assertThat(p.matchesAll(List.of("-File", "C:\\HostOps\\upgrade-openclaw.ps1", "-RepoPath", "C:\\OpenClaw"))).isTrue();
        assertThat(p.matchesAll(List.of("-File", "C:\\HostOps\\..\\evil.ps1"))).isFalse();
        assertThat(ArgPattern.parse("-File C:/HostOps/*.ps1", false, false).matchesAll(List.of("-File", "C:\\HostOps\\a.ps1")))
                .isFalse();
    }

    @Test
    void emptyPatternMeansNoArguments() {
        assertThat(all("")).isTrue();
        assertThat(all("", "x")).isFalse();
    }

    @Test
    void singleQuotesAreLiteral() {
        assertThat(all("commit -m 'a b'", "commit", "-m", "a b")).isTrue();
        assertThat(all("commit -m 'a b'", "commit", "-m", "a", "b")).isFalse();
        assertThat(all("'*'", "*")).isTrue();
        assertThat(all("'*'", "x")).isFalse();
        assertThat(all("'it''s'", "it's")).isTrue();
        assertThat(all("''", "")).isTrue();
        assertThat(all("--x='a b'*", "--x=a bcd")).isTrue();
    }

    @Test
    void unterminatedQuoteIsAnErrorWithThePosition() {
        assertThatThrownBy(() -> ArgPattern.parse("commit -m 'oops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated quote at position 10");
    }

    @Test
    void exactRoundTripsAnyArgumentList() {
        List<List<String>> cases = List.of(List.of(), List.of("fetch", "--all"), List.of("a b", "*", "?", "it's", ""),
                List.of("C:\\x y\\z.txt", "--m='q'"));
        for (List<String> args : cases) {
            ArgPattern p = ArgPattern.parse(ArgPattern.exact(args));
            assertThat(p.matchesAll(args)).as(args.toString()).isTrue();
        }
        ArgPattern star = ArgPattern.parse(ArgPattern.exact(List.of("*")));
        assertThat(star.matchesAll(List.of("anything"))).isFalse();
        assertThat(ArgPattern.parse(ArgPattern.exact(List.of("fetch"))).matchesAll(List.of("fetch", "--upload-pack=x"))).isFalse();
    }

    @Test
    void denyPatternsCatchTheDestructiveExamplesWhereverTheyStand() {
        assertThat(occurs("reset --hard*", "reset", "--hard")).isTrue();
        assertThat(occurs("reset --hard*", "reset", "--hard", "HEAD~1")).isTrue();
        assertThat(occurs("reset --hard*", "-C", "dir", "reset", "--hard")).isTrue();
        assertThat(occurs("reset --hard*", "reset", "HEAD~1", "--hard")).isTrue();
        assertThat(occurs("reset --hard*", "reset", "--soft", "HEAD~1")).isFalse();
        assertThat(occurs("clean -*", "clean", "-fdx")).isTrue();
        assertThat(occurs("clean -*", "-c", "x=y", "clean", "-x", "-d", "-f")).isTrue();
        assertThat(occurs("compose down -v*", "compose", "down", "-v")).isTrue();
        assertThat(occurs("compose down -v*", "compose", "-f", "c.yml", "down", "--remove-orphans", "-v")).isTrue();
        assertThat(occurs("compose down -v*", "compose", "down")).isFalse();
        assertThat(occurs("system prune*", "system", "prune", "-af")).isTrue();
        assertThat(occurs("system prune*", "--context", "x", "system", "prune")).isTrue();
        // Deny matching ignores case: a safety net errs towards denying.
        assertThat(occurs("reset --hard*", "RESET", "--HARD")).isTrue();
        // Order matters: the tokens must appear in the pattern's order.
        assertThat(occurs("reset --hard*", "--hard", "reset")).isFalse();
    }
}

package dev.hostops.node.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathGlobTest {

    @Test
    void windowsGlobsIgnoreCaseAndTreatBothSlashesAlike() {
        PathGlob g = PathGlob.compile("C:/Program Files/Git/cmd/git.exe", true, true);
        assertThat(g.matches("C:\\Program Files\\Git\\cmd\\git.exe", true)).isTrue();
        assertThat(g.matches("C:\\PROGRAM FILES\\GIT\\CMD\\GIT.EXE", true)).isTrue();
        assertThat(g.matches("c:/program files/git/cmd/git.exe", true)).isTrue();
        assertThat(g.matches("C:\\Program Files\\Git\\cmd\\git.exe.bak", true)).isFalse();
        PathGlob back = PathGlob.compile("C:\\Program Files\\Git\\cmd\\GIT.EXE", true, true);
        assertThat(back.matches("C:\\Program Files\\Git\\cmd\\git.exe", true)).isTrue();
    }

    @Test
    void linuxGlobsAreExact() {
        PathGlob g = PathGlob.compile("/usr/bin/git", false, false);
        assertThat(g.matches("/usr/bin/git", false)).isTrue();
        assertThat(g.matches("/usr/bin/GIT", false)).isFalse();
        assertThat(g.matches("/usr/bin\\git", false)).isFalse();
    }

    @Test
    void starStaysInOneSegmentDoubleStarCrossesThem() {
        PathGlob bin = PathGlob.compile("/usr/bin/*", false, false);
        assertThat(bin.matches("/usr/bin/git", false)).isTrue();
        assertThat(bin.matches("/usr/bin/sub/git", false)).isFalse();
        PathGlob any = PathGlob.compile("**/git*", false, false);
        assertThat(any.matches("/usr/bin/git", false)).isTrue();
        assertThat(any.matches("/opt/x/git-lfs", false)).isTrue();
        assertThat(any.matches("/usr/bin/legit", false)).isFalse();
        PathGlob docker = PathGlob.compile("**/docker*", true, true);
        assertThat(docker.matches("C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe", true)).isTrue();
        assertThat(PathGlob.compile("/opt/tools/**", false, false).matches("/opt/tools/a/b/c", false)).isTrue();
        assertThat(PathGlob.compile("/opt/tool?", false, false).matches("/opt/tools", false)).isTrue();
    }

    @Test
    void regexCharactersAreLiteral() {
        PathGlob g = PathGlob.compile("/opt/a+b (x)/run.sh", false, false);
        assertThat(g.matches("/opt/a+b (x)/run.sh", false)).isTrue();
        assertThat(g.matches("/opt/aab (x)/run.sh", false)).isFalse();
    }
}

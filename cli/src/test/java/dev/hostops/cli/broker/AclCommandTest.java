package dev.hostops.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostops broker acl} as a user runs it; what the files allow is tested in the broker module. */
class AclCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFourFilesAndRefusesToOverwriteWithoutForce() throws Exception {
        Path out = dir.resolve("secrets");
        assertThat(Main.run("broker", "acl", "--node", "A", "--node", "B", "--out", out.toString())).isZero();
        assertThat(Files.readString(out.resolve("passwd"))).contains("A:$7$101$", "B:$7$", "hostops-dispatcher:$7$", "hostops-dashboard:$7$");
        assertThat(Files.readString(out.resolve("acl"))).contains("user A\n", "user B\n");
        assertThat(Files.readString(out.resolve("definitions.json"))).contains("hostops-node-A");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("credentials")))).isEqualTo("rw-------");
        String before = Files.readString(out.resolve("credentials"));

        assertThat(Main.run("broker", "acl", "--node", "A", "--out", out.toString())).isEqualTo(1);
        assertThat(Files.readString(out.resolve("credentials"))).isEqualTo(before);
        assertThat(Main.run("broker", "acl", "--node", "A", "--out", out.toString(), "--force")).isZero();
        assertThat(Files.readString(out.resolve("credentials"))).isNotEqualTo(before);
    }

    @Test
    void aBadNodeIdIsAUsageError() {
        assertThat(Main.run("broker", "acl", "--node", "a/b", "--out", dir.toString())).isEqualTo(2);
    }
}

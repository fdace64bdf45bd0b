package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** macOS: PATH lookup like Linux, names compared without case like its default file system. */
class MacPolicyEngineTest {

    @Test
    void caseInsensitiveFileSystemAndGlobs() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.osX().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix").build())) {
            Path git = fs.getPath("/opt/homebrew/bin/git");
            Files.createDirectories(git.getParent());
            Files.writeString(git, "x");
            Files.setPosixFilePermissions(git, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(fs.getPath("/Users/me/app"));
            HostModel mac = HostModel.of(HostModel.OsFamily.MACOS, fs, "/usr/bin:/opt/homebrew/bin", null);
            assertThat(mac.caseInsensitive()).isTrue();
            Policy policy = Policy.parse("""
                    security: allowlist
                    ask: off
                    allow:
                      - path: /opt/homebrew/bin/git
                        args: ["status *"]
                        workdirs: [/Users/me/app]
                    """, null);
            PolicyEngine engine = new PolicyEngine(policy, mac);
            for (String argv0 : List.of("git", "/OPT/Homebrew/bin/GIT")) {
                Evaluation e = engine.evaluate(new CommandRequest(List.of(argv0, "status"), "/users/ME/app", Map.of(), null, null));
                assertThat(e.verdict()).as(argv0 + " " + e).isEqualTo(Verdict.ALLOW);
            }
            // Bare names are case-sensitive in the command but found on a case-insensitive disk either way.
            Evaluation upper = engine.evaluate(new CommandRequest(List.of("GIT", "status"), "/Users/me/app", Map.of(), null, null));
            assertThat(upper.verdict()).isEqualTo(Verdict.ALLOW);
        }
    }
}

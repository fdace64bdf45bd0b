package dev.hostops.node.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowsPathRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"git", "git.exe", "GIT.EXE", "C:\\Program Files\\Git\\cmd\\git.exe", "C:/OpenClaw",
            "tools\\run.exe", "..\\bin\\tool.exe", "C:\\", "C:\\backup~x\\a", "D:\\a.b\\c"})
    void plainPathsPass(String path) {
        assertThat(WindowsPathRules.problem(path, "argv[0]")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\\\\?\\C:\\Windows\\System32\\cmd.exe|UNC or device",
            "\\\\.\\C:\\x.exe|UNC or device",
            "\\\\server\\share\\git.exe|UNC or device",
            "//server/share/git.exe|UNC or device",
            "C:\\PROGRA~1\\Git\\cmd\\git.exe|8.3 short name",
            "C:\\Program Files\\Git\\cmd\\GIT~1.EXE|8.3 short name",
            "C:\\Program Files\\Git\\cmd\\git.exe.|dot or space",
            "'C:\\Program Files\\Git\\cmd\\git.exe '|dot or space",
            "C:\\Program Files.\\Git\\cmd\\git.exe|dot or space",
            "git.exe::$DATA|':' after the drive",
            "C:\\Program Files\\Git\\cmd\\git.exe:evil.exe|':' after the drive",
            "C:git.exe|relative to the current directory of drive",
            "\\Windows\\System32\\cmd.exe|no drive letter",
            "C:\\tools\\NUL.exe|reserved device",
            "C:\\tools\\con|reserved device",
            "C:\\tools\\a*b.exe|character '*'"})
    void trickySpellingsAreRefusedWithAReason(String path, String reason) {
        assertThat(WindowsPathRules.problem(path, "argv[0]")).get().asString().contains(reason).contains("argv[0]");
    }
}

package dev.hostops.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.LogChunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * On a real Windows machine (the Windows workflow): arguments that the JDK alone would split or
 * glue together reach a program through the runner exactly as sent. The program is a JVM, whose
 * launcher splits its command line by the C runtime's rules, like most Windows programs.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsArgumentsTest {

    @Test
    void trickyArgumentsArriveExactlyAsSent() throws Exception {
        List<String> args = List.of("\"origin\" --upload-pack=calc \"x\"", "a\"b", "say \"hi\"", "end\"", "C:\\dir\\",
                "\\\\server\\share", "", "two words", "x\\\\", "\"\"");
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java.exe").toString());
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), ArgvEcho.class.getName()));
        argv.addAll(args);
        ChunkCollector sink = new ChunkCollector();
        try (ProcessRunner runner = new ProcessRunner(RunnerOptions.defaults())) {
            ExecOutcome outcome = runner.start(RunSpec.of(UUID.randomUUID().toString(), "win-node", argv), sink)
                    .completion().get(60, TimeUnit.SECONDS);
            assertThat(outcome.status()).as(sink.text(LogChunk.Stream.STDERR)).isEqualTo(CommandStatus.SUCCEEDED);
        }
        StringBuilder expected = new StringBuilder();
        args.forEach(a -> expected.append('[').append(a).append("]\n"));
        assertThat(sink.text(LogChunk.Stream.STDOUT)).isEqualTo(expected.toString());
    }
}

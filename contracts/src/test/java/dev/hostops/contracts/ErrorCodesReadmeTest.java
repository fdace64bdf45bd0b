package dev.hostops.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's error-code table is the enum, rendered; a new or changed code must be documented. */
class ErrorCodesReadmeTest {
    private static final String START = "<!-- error-codes:start";
    private static final String END = "<!-- error-codes:end -->";

    @Test
    void readmeTableMatchesTheEnum() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertThat(start).as("README.md has the error-codes start marker").isNotNegative();
        assertThat(end).as("README.md has the error-codes end marker").isGreaterThan(start);
        String table = readme.substring(readme.indexOf('\n', start) + 1, end);
        assertThat(table).as("paste this table into contracts/README.md").isEqualTo(render());
    }

    @Test
    void everyCodeHasASentence() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.defaultMessage()).as(code.name()).endsWith(".").doesNotContain("|");
            assertThat(code.info()).isEqualTo(new ErrorInfo(code.name(), code.defaultMessage()));
        }
    }

    static String render() {
        StringBuilder sb = new StringBuilder("| code | meaning |\n|---|---|\n");
        for (ErrorCode code : ErrorCode.values()) {
            sb.append("| `").append(code.name()).append("` | ").append(code.defaultMessage()).append(" |\n");
        }
        return sb.toString();
    }
}

package dev.hostops.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * argv survives the trip to a Windows program: encoded by {@link WindowsCommandLine}, joined by the
 * JDK's legacy mode, split by the program's C runtime (models in {@link MsvcrtArguments}).
 */
class WindowsCommandLineTest {
    private static final String GIT = "C:\\Program Files\\Git\\cmd\\git.exe";

    /** What the program gets for these arguments. */
    private static List<String> received(List<String> argv) {
        List<String> passed = WindowsCommandLine.forProcessBuilder(argv);
        return MsvcrtArguments.split(MsvcrtArguments.legacyJoin(passed.subList(1, passed.size())));
    }

    private static List<String> argv(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(GIT);
        argv.addAll(List.of(args));
        return argv;
    }

    @Test
    void aQuotedLookingArgumentCannotSmuggleAnotherOnePastThePolicy() {
        String one = "\"origin\" --upload-pack=calc \"x\"";
        // Without the encoding, the JDK copies it and git.exe sees three arguments, one of them the deny rule's.
        assertThat(MsvcrtArguments.split(MsvcrtArguments.legacyJoin(List.of("fetch", one))))
                .containsExactly("fetch", "origin", "--upload-pack=calc", "x");
        assertThat(received(argv("fetch", one))).containsExactly("fetch", one);
    }

    @Test
    void quotesAndBackslashesInsideArgumentsArriveAsSent() {
        List<String> args = List.of("a\"b", "\"", "\\\"", "a\\\\\"b c", "say \"hi\"", "end\"", "C:\\dir\\", "\\\\server\\share",
                "", " ", "\t", "--format=%h %s", "x\\\\", "\"\"", "a b \"c\"");
        assertThat(received(argv(args.toArray(String[]::new)))).containsExactlyElementsOf(args);
    }

    @Test
    void randomArgumentsOfQuotesBackslashesAndBlanksArriveAsSent() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        String alphabet = "ab \t\"\\\\&-=";
        for (int round = 0; round < 20_000; round++) {
            List<String> args = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                StringBuilder sb = new StringBuilder();
                int length = random.nextInt(9);
                for (int j = 0; j < length; j++) {
                    sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String arg = sb.toString();
                if (WindowsCommandLine.problem(arg).isEmpty()) {
                    args.add(arg);
                }
            }
            assertThat(received(argv(args.toArray(String[]::new))))
                    .as("seed %d, args %s", seed, args)
                    .containsExactlyElementsOf(args);
        }
    }

    @Test
    void aSpacedArgumentEndingInABackslashIsTheOneThatCannotBePassed() {
        assertThat(WindowsCommandLine.problem("C:\\Program Files\\")).get().asString().contains("trailing backslash");
        assertThat(WindowsCommandLine.problem("C:\\Program Files")).isEmpty();
        assertThat(WindowsCommandLine.problem("C:\\NoSpace\\")).isEmpty();
        // Why: whatever it is spelled as, the JDK either copies a form ending in \" (an escaped
        // quote, so the next argument is glued on) or wraps it again.
        assertThat(MsvcrtArguments.split(MsvcrtArguments.legacyJoin(List.of("\"a b\\\\\"", "--x"))))
                .isNotEqualTo(List.of("a b\\", "--x"));
        assertThatThrownBy(() -> WindowsCommandLine.forProcessBuilder(argv("checkout", "C:\\Program Files\\")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing backslash");
    }

    @Test
    void batchFilesAndTheProgramItselfAreLeftToTheJdk() {
        List<String> batch = List.of("C:\\Tools\\build.CMD", "a\"b", "x y");
        assertThat(WindowsCommandLine.forProcessBuilder(batch)).isEqualTo(batch);
        assertThat(WindowsCommandLine.forProcessBuilder(argv("a b")).get(0)).isEqualTo(GIT);
        assertThat(WindowsCommandLine.forProcessBuilder(argv("plain", "C:\\dir\\x.txt")))
                .containsExactly(GIT, "plain", "C:\\dir\\x.txt");
    }
}

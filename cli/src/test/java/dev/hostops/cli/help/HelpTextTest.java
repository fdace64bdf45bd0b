package dev.hostops.cli.help;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.cli.Main;
import dev.hostops.cli.e2e.Captured;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders: picocli formats descriptions and footers as format
 * strings, so a bare {@code %} (as in "25%") prints a warning and the text unformatted.
 */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutWarnings() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(10);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Captured help = Captured.run(args.toArray(String[]::new));
            String shown = String.join(" ", path);
            assertThat(help.exitCode()).as("hostops %s --help", shown).isZero();
            assertThat(help.err()).as("hostops %s --help", shown).doesNotContain("WARN");
            assertThat(help.out()).as("hostops %s --help", shown).contains("Usage:");
        }
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
        for (var sub : cli.getSubcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().aliases().length > 0
                    && !sub.getKey().equals(sub.getValue().getCommandName())) {
                continue; // an alias of a command listed under its own name
            }
            List<String> p = new ArrayList<>(path);
            p.add(sub.getKey());
            out.add(p);
            collect(sub.getValue(), p, out);
        }
    }
}

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

    /**
     * picocli wraps each description or footer element on its own, so a sentence split over two
     * elements where the first is wider than the help reads as a ragged line ending in one or two
     * words: a paragraph is one element, or lines that each fit.
     */
    @Test
    void noParagraphIsSplitAcrossALineTooWideForTheHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        List<String> ragged = new ArrayList<>();
        CommandLine root = new CommandLine(new Main());
        for (List<String> path : paths) {
            CommandLine cli = root;
            for (String name : path) {
                cli = cli.getSubcommands().get(name);
            }
            CommandLine.Model.UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
            int width = usage.width();
            List<String> lines = new ArrayList<>(List.of(usage.description()));
            lines.addAll(List.of(usage.footer()));
            for (int i = 0; i + 1 < lines.size(); i++) {
                String next = lines.get(i + 1);
                if (lines.get(i).length() > width && !next.isEmpty() && Character.isLowerCase(next.charAt(0))) {
                    ragged.add("hostops " + String.join(" ", path) + ": \"" + lines.get(i) + "\"");
                }
            }
        }
        assertThat(ragged).as("elements wider than the help (%s columns) continued by the next", 80).isEmpty();
    }

    /** From the docs walkthrough: commands --node, cancel --reason, approve --reason and logs ID had no description. */
    @Test
    void everyOptionAndParameterSaysWhatItIs() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        List<String> bare = new ArrayList<>();
        CommandLine root = new CommandLine(new Main());
        for (List<String> path : paths) {
            CommandLine cli = root;
            for (String name : path) {
                cli = cli.getSubcommands().get(name);
            }
            for (CommandLine.Model.ArgSpec arg : cli.getCommandSpec().args()) {
                if (!arg.hidden() && String.join("", arg.description()).isBlank()) {
                    bare.add("hostops " + String.join(" ", path) + " " + (arg.isOption()
                            ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel()));
                }
            }
        }
        assertThat(bare).as("options and parameters without a description").isEmpty();
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

package dev.hostops.contracts.internal;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML syntax error told once, at the place it is: Jackson wraps the parser's exception with a
 * location of its own (the last token it read, often the line before) and the parser's message
 * quotes the line, so the same error came out with two different line numbers. Shared by the
 * modules that read YAML files (the node's policy and config, the dispatcher's config and tokens);
 * they bring the YAML parser, which is optional here.
 */
public final class YamlErrors {
    private YamlErrors() {}

    /** {@code line 3, column 1: <the problem>} for a YAML syntax error anywhere in {@code e}'s causes, else null. */
    public static String syntax(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                Mark at = m.getProblemMark();
                String problem = m.getProblem() == null ? "not valid YAML" : m.getProblem().strip();
                if (problem.contains("(TAB)")) {
                    problem = "a tab character, which YAML does not allow for indentation; indent with spaces";
                }
                return "line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ": " + problem;
            }
        }
        return null;
    }
}

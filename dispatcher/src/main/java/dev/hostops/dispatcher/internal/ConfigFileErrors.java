package dev.hostops.dispatcher.internal;

import dev.hostops.contracts.internal.YamlErrors;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A YAML file of the dispatcher's (its config, the tokens file) that could not be read, told to a
 * person: the whole path of a missing file (a relative one is looked for in the working directory,
 * which is not always where one thinks), and a syntax error once, at the place it is (Jackson adds a
 * location of its own, often the line before, and the parser's message quotes the line).
 */
public final class ConfigFileErrors {
    private ConfigFileErrors() {}

    /** E.g. "the tokens file /etc/hostops/tokens.yaml does not exist", "the config file c.yaml: line 3, column 1: ...". */
    public static String describe(String what, Path file, IOException e) {
        String syntax = YamlErrors.syntax(e);
        if (syntax != null) {
            return what + " " + file + ": " + syntax;
        }
        Path whole = file.toAbsolutePath();
        if (e instanceof NoSuchFileException) {
            return what + " " + whole + " does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return what + " " + whole + " cannot be read: permission denied";
        }
        return what + " " + whole + " cannot be read: " + (e.getMessage() != null ? e.getMessage() : e.toString());
    }
}

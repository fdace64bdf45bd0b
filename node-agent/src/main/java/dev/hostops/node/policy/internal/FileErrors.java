package dev.hostops.node.policy.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** How a failed read of a policy or approved file is told to a person: what is wrong, not the exception's class. */
public final class FileErrors {
    private FileErrors() {}

    /** E.g. "does not exist", "cannot be read: permission denied". */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read: permission denied";
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "cannot be read: " + reason;
    }
}

package dev.hostops.contracts.internal;

import java.util.concurrent.CompletionException;

/** What went wrong in a stage of a CompletableFuture; shared by the modules, not part of the wire contract. */
public final class Failures {
    private Failures() {}

    /** The failure a dependent stage sees, without the CompletionException wrapped around it. */
    public static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}

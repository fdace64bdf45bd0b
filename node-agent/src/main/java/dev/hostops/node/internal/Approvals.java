package dev.hostops.node.internal;

import dev.hostops.contracts.message.ApprovalDecision;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Commands waiting for a person's decision: a map from command id to the pending future, removed
 * on decision, timeout or cancel. A decision for an id nobody waits for is ignored by the caller.
 */
public final class Approvals {
    /** How a wait ended. */
    public sealed interface Outcome permits Decided, TimedOut, Cancelled {}

    public record Decided(ApprovalDecision decision) implements Outcome {}

    public record TimedOut() implements Outcome {}

    public record Cancelled(String reason) implements Outcome {}

    private final Map<String, CompletableFuture<Outcome>> pending = new ConcurrentHashMap<>();

    public CompletableFuture<Outcome> await(String id, Duration timeout) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        pending.put(id, f);
        f.completeOnTimeout(new TimedOut(), timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((o, e) -> pending.remove(id, f));
        return f;
    }

    public boolean decide(ApprovalDecision decision) {
        return Optional.ofNullable(pending.get(decision.id())).map(f -> f.complete(new Decided(decision))).orElse(false);
    }

    public boolean cancel(String id, String reason) {
        return Optional.ofNullable(pending.get(id)).map(f -> f.complete(new Cancelled(reason))).orElse(false);
    }

    public int size() {
        return pending.size();
    }
}

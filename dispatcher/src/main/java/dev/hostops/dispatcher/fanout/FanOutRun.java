package dev.hostops.dispatcher.fanout;

import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.message.Exec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dispatch plan of one fan-out request: which nodes wait, how many run, how many failed.
 * Pure bookkeeping, no I/O; guarded by its own monitor (the service calls it from the event
 * listener and the dispatch thread).
 */
final class FanOutRun {
    final String requestId;
    /** The request as it was made (its template without a deadline when none was given): what a retry is compared with. */
    final FanOutRequest request;
    /** The exec each invocation is made from, with the deadline every invocation shares. */
    final Exec template;
    final String source;
    final long startedAt = System.nanoTime();
    final int concurrency;
    final int errorBudget;
    private final Deque<String> pending = new ArrayDeque<>();
    /** node to command id, for dispatched invocations. */
    private final Map<String, String> dispatched = new LinkedHashMap<>();
    /** Dispatched nodes whose invocation never became a command, and why. */
    private final Map<String, ErrorInfo> dispatchFailures = new HashMap<>();
    private final List<String> nodes;
    private int active;
    private int errors;
    private boolean stopped;

    FanOutRun(String requestId, FanOutRequest request, List<String> nodes, String source) {
        this(requestId, request, request.template(), nodes, source);
    }

    FanOutRun(String requestId, FanOutRequest request, Exec template, List<String> nodes, String source) {
        this.requestId = requestId;
        this.source = source;
        this.request = request;
        this.template = template;
        this.nodes = List.copyOf(nodes);
        this.pending.addAll(nodes);
        this.concurrency = request.maxConcurrency().concurrencyFor(nodes.size());
        this.errorBudget = request.maxErrors().errorsFor(nodes.size());
    }

    static String commandId(String requestId, String node) {
        return requestId + "." + node;
    }

    /** The next node to dispatch, or null when none may go now. Counts it as active. */
    synchronized String next() {
        if (stopped || active >= concurrency || pending.isEmpty()) {
            return null;
        }
        String node = pending.poll();
        dispatched.put(node, commandId(requestId, node));
        active++;
        return node;
    }

    /**
     * After a restart: marks {@code node} as dispatched earlier, with its command's status now
     * (null when the ledger has no command for it yet: then it counts as running).
     */
    synchronized void restore(String node, dev.hostops.contracts.CommandStatus status) {
        if (!pending.remove(node)) {
            return;
        }
        dispatched.put(node, commandId(requestId, node));
        if (status == null || !status.isTerminal()) {
            active++;
        } else if (status != dev.hostops.contracts.CommandStatus.SUCCEEDED) {
            errors++;
            if (errors > errorBudget) {
                stopped = true;
            }
        }
    }

    /** True when nothing more will be dispatched (the plan can be forgotten). */
    synchronized boolean dispatchOver() {
        return stopped || pending.isEmpty();
    }

    /** An invocation ended; returns true when this ended dispatching (the budget is spent). */
    synchronized boolean finished(boolean success) {
        active = Math.max(0, active - 1);
        if (!success) {
            errors++;
            if (errors > errorBudget && !stopped) {
                stopped = true;
                return true;
            }
        }
        return false;
    }

    /**
     * The request's state from this plan alone (no ledger read): RUNNING while an invocation is
     * active or one may still be dispatched, then STOPPED (the error budget ended it) or DONE.
     */
    synchronized String state() {
        if (active > 0 || (!stopped && !pending.isEmpty())) {
            return "RUNNING";
        }
        return stopped ? "STOPPED" : "DONE";
    }

    /** The node's invocation could not be recorded or sent (it counts as an error once {@link #finished} says so). */
    synchronized void dispatchFailed(String node, ErrorInfo why) {
        dispatchFailures.put(node, why);
    }

    /** Why the node's invocation never became a command, or null. */
    synchronized ErrorInfo dispatchFailure(String node) {
        return dispatchFailures.get(node);
    }

    synchronized boolean isDispatched(String node) {
        return dispatched.containsKey(node);
    }

    synchronized boolean isStopped() {
        return stopped;
    }

    synchronized boolean hasPending() {
        return !pending.isEmpty();
    }

    synchronized int active() {
        return active;
    }

    synchronized int errors() {
        return errors;
    }

    List<String> nodes() {
        return nodes;
    }
}

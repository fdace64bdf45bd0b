package dev.hostops.node.exec.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a process and all its descendants.
 *
 * <p>The descendants are listed before any signal is sent, because a child whose parent dies is
 * re-parented to init and no longer shows up as a descendant. Then every process of the list gets
 * a polite stop ({@link ProcessHandle#destroy()}: SIGTERM on POSIX), and every few milliseconds the
 * still-living ones are asked for descendants again (children forked meanwhile join the list and
 * are stopped too). After the grace period the survivors are killed forcibly (SIGKILL). The job
 * ends when none is running (zombies count as ended, see {@link Liveness}) or, failing that, a
 * while after the grace period (logged).
 *
 * <p>What it cannot catch: a process that left the tree before the first listing, or in the short
 * moment between a listing and its parent's death (for example one that daemonizes with
 * {@code setsid} and a double fork). On Linux such a process is a child of init (or of a
 * subreaper) and nothing links it to the command any more. On Windows {@code destroy()} is
 * already forcible.
 *
 * <p>{@link ProcessHandle} is used instead of {@link Process#destroy()} on purpose: the latter
 * also closes the output streams, which would lose output the readers have not drained yet.
 */
final class ProcessTreeKiller {
    private static final Logger log = LoggerFactory.getLogger(ProcessTreeKiller.class);
    private static final long RECHECK_MS = 20;
    private static final Duration GIVE_UP_AFTER_FORCE = Duration.ofSeconds(5);

    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    private final Set<ProcessHandle> known = new LinkedHashSet<>(); // only touched by the scheduler thread
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long startNanos;
    private boolean forced;

    private ProcessTreeKiller(ScheduledExecutorService scheduler, Duration grace) {
        this.scheduler = scheduler;
        this.grace = grace;
    }

    /** Starts killing the tree under {@code root}; the future completes when it is gone (or given up). */
    static CompletableFuture<Void> kill(ProcessHandle root, Duration grace, ScheduledExecutorService scheduler) {
        ProcessTreeKiller killer = new ProcessTreeKiller(scheduler, grace);
        scheduler.execute(() -> killer.begin(root));
        return killer.done;
    }

    private void begin(ProcessHandle root) {
        try {
            startNanos = System.nanoTime();
            // Snapshot first, signal second: see the class comment.
            List<ProcessHandle> snapshot = new ArrayList<>();
            snapshot.add(root);
            root.descendants().forEach(snapshot::add);
            known.addAll(snapshot);
            snapshot.forEach(ProcessHandle::destroy);
            scheduler.schedule(this::recheck, RECHECK_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            log.error("Could not kill process tree of pid {}", root.pid(), e);
            done.complete(null);
        }
    }

    private void recheck() {
        try {
            List<ProcessHandle> alive = new ArrayList<>();
            for (ProcessHandle h : known) {
                if (Liveness.isRunning(h)) {
                    alive.add(h);
                }
            }
            for (ProcessHandle h : alive) {
                h.descendants().filter(known::add).forEach(d -> stop(d, forced));
            }
            long elapsedNanos = System.nanoTime() - startNanos;
            if (!forced && elapsedNanos >= grace.toNanos()) {
                forced = true;
                known.stream().filter(Liveness::isRunning).forEach(ProcessHandle::destroyForcibly);
            }
            if (known.stream().noneMatch(Liveness::isRunning)) {
                done.complete(null);
                return;
            }
            if (elapsedNanos >= grace.plus(GIVE_UP_AFTER_FORCE).toNanos()) {
                log.warn("Processes {} are still alive after SIGKILL; giving up on them",
                        known.stream().filter(Liveness::isRunning).map(ProcessHandle::pid).toList());
                done.complete(null);
                return;
            }
            scheduler.schedule(this::recheck, RECHECK_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            log.error("Failure while killing a process tree", e);
            done.complete(null);
        }
    }

    private static void stop(ProcessHandle h, boolean force) {
        if (force) {
            h.destroyForcibly();
        } else {
            h.destroy();
        }
    }
}

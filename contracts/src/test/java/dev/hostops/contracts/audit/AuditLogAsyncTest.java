package dev.hostops.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AuditLog#appendAsync}: lines chained in call order, futures completed once synced, never left hanging. */
class AuditLogAsyncTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAsyncAndBlockingAppendsFormOneVerifiedChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int threads = 8;
        int perThread = 400;
        List<CompletableFuture<Void>> synced = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AuditLog log = AuditLog.open(file)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        if (thread == 0) {
                            log.append("test.blocking", Map.of("i", i)); // the blocking form shares the chain
                        } else {
                            synced.add(log.appendAsync("test.async", Map.of("thread", thread, "i", i)));
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(log.lastSeq()).isEqualTo((long) threads * perThread);
        } finally {
            pool.shutdownNow();
        }
        assertThat(synced).hasSize((threads - 1) * perThread).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        AuditReport report = AuditVerifier.verify(file);
        assertThat(report.problem()).isEmpty();
        assertThat(report.lines()).isEqualTo((long) threads * perThread);
    }

    @Test
    void closeCompletesEveryFutureOfALineAlreadyWritten() {
        Path file = dir.resolve("audit.jsonl");
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        AuditLog log = AuditLog.open(file);
        for (int i = 0; i < 2_000; i++) {
            synced.add(log.appendAsync("test.async", Map.of("i", i)));
        }
        log.close();
        assertThat(synced).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(AuditVerifier.verify(file).lines()).isEqualTo(2_000);
    }

    @Test
    void appendsRacingWithCloseNeverLeaveAFutureWaiting() throws Exception {
        for (int round = 0; round < 20; round++) {
            AuditLog log = AuditLog.open(dir.resolve("race-" + round + ".jsonl"));
            List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int t = 0; t < 4; t++) {
                    pool.execute(() -> {
                        for (int i = 0; i < 200; i++) {
                            futures.add(log.appendAsync("test.race", Map.of("i", i)));
                        }
                    });
                }
                Thread.sleep(round % 3); // close at different points of the burst
                log.close();
            } finally {
                pool.shutdown();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            // Each completes (line synced) or fails (CLOSED, or the sync after close): none hangs.
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .handle((v, e) -> null).get(30, TimeUnit.SECONDS);
            assertThat(futures).hasSize(800).allMatch(CompletableFuture::isDone);
        }
    }

    @Test
    void failuresArriveInTheFutureNotAsExceptions() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.open(file);
        CompletableFuture<Void> badName = log.appendAsync("Not An Event Name", Map.of());
        log.close();
        CompletableFuture<Void> afterClose = log.appendAsync("test.late", Map.of());

        assertThat(cause(badName)).isInstanceOfSatisfying(AuditException.class,
                e -> assertThat(e.code()).isEqualTo(AuditException.Code.INVALID_EVENT));
        assertThat(cause(afterClose)).isInstanceOfSatisfying(AuditException.class,
                e -> assertThat(e.code()).isEqualTo(AuditException.Code.CLOSED));
        assertThat(Files.readAllLines(file)).isEmpty();
    }

    /** Lines that may wait are covered by the next forced sync: a short command's trail costs one fsync. */
    @Test
    void linesThatMayWaitShareTheNextForcedSync() throws Exception {
        try (AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"))) {
            long before = log.syncs();
            List<CompletableFuture<Void>> soon = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                soon.add(log.appendWithin("test.soon", Map.of("i", i), java.time.Duration.ofSeconds(30)));
            }
            log.append("test.forced", Map.of());

            assertThat(log.syncs() - before).isEqualTo(1);
            // The delayed sync still comes (close() serves it here, as it serves every waiter),
            // and finds nothing left to force.
            log.close();
            assertThat(soon).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(log.syncs() - before).isEqualTo(1);
        }
    }

    /** Without a forced sync, a line that may wait is synced by the background once its delay is up. */
    @Test
    void aLineThatMayWaitIsSyncedWhenItsDelayIsUp() throws Exception {
        try (AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"))) {
            long before = log.syncs();
            CompletableFuture<Void> soon = log.appendWithin("test.soon", Map.of(), java.time.Duration.ofMillis(20));
            CompletableFuture<Void> now = log.appendAsync("test.now", Map.of());

            CompletableFuture.allOf(soon, now).get(30, TimeUnit.SECONDS);
            // One sync covered both: the line due at once ended the other's wait.
            assertThat(log.syncs() - before).isEqualTo(1);
            log.appendWithin("test.alone", Map.of(), java.time.Duration.ofMillis(20)).get(30, TimeUnit.SECONDS);
            assertThat(log.syncs() - before).isEqualTo(2);
        }
    }

    @Test
    void closingTwiceAfterAsyncAppendsIsHarmless() {
        AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"));
        log.appendAsync("test.async", Map.of()).join();
        log.close();
        log.close();
        assertThat(log.appendAsync("test.late", Map.of())).isCompletedExceptionally();
    }

    @Test
    void withoutFsyncTheFutureIsCompleteAtOnce() {
        try (AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"), FsyncPolicy.NEVER, java.time.Clock.systemUTC())) {
            assertThat(log.appendAsync("test.async", Map.of())).isCompleted();
        }
    }

    private static Throwable cause(CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}

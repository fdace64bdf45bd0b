package dev.hostops.node.exec;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link ProcessRunner}.
 *
 * @param chunkBytes    the largest chunk, in bytes; output is cut into chunks of at most this size
 * @param flushInterval how long output may wait before it is sent even if the chunk is not full:
 *                      a program printing a few bytes now and then is seen within this time
 * @param tailBytes     how many last bytes of each stream the outcome keeps for a person to read
 * @param killGrace     how long a killed process tree gets between SIGTERM and SIGKILL; also how
 *                      long output may keep flowing after the program exited (a background child
 *                      holding the pipe) before the runner stops waiting for it
 */
public record RunnerOptions(int chunkBytes, Duration flushInterval, int tailBytes, Duration killGrace) {

    public static final int DEFAULT_CHUNK_BYTES = 64 * 1024;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);
    public static final int DEFAULT_TAIL_BYTES = 4 * 1024;
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

    /** Smallest chunk: a chunk must hold any UTF-8 character (4 bytes) with room to spare. */
    public static final int MIN_CHUNK_BYTES = 16;

    public RunnerOptions {
        if (chunkBytes < MIN_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunkBytes must be at least " + MIN_CHUNK_BYTES + ", not " + chunkBytes);
        }
        requirePositive(flushInterval, "flushInterval");
        if (tailBytes < 0) {
            throw new IllegalArgumentException("tailBytes must not be negative, not " + tailBytes);
        }
        requirePositive(killGrace, "killGrace");
    }

    public static RunnerOptions defaults() {
        return new RunnerOptions(DEFAULT_CHUNK_BYTES, DEFAULT_FLUSH_INTERVAL, DEFAULT_TAIL_BYTES, DEFAULT_KILL_GRACE);
    }

    private static void requirePositive(Duration d, String field) {
        Objects.requireNonNull(d, field + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, not " + d);
        }
    }
}

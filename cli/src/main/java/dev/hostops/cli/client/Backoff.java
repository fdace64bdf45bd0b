package dev.hostops.cli.client;

/** Waits before following a broken stream again: half a second, doubling each time up to a cap. */
final class Backoff {
    private static final long FIRST_MS = 500;

    private final long maxMs;
    private long nextMs = FIRST_MS;

    Backoff(long maxMs) {
        this.maxMs = maxMs;
    }

    /** Sleeps for the current wait, then doubles it (up to the cap) for the next time. */
    void pause() throws InterruptedException {
        Thread.sleep(nextMs);
        nextMs = Math.min(maxMs, nextMs * 2);
    }

    /** The stream held: the next break waits the shortest time again. */
    void reset() {
        nextMs = FIRST_MS;
    }
}

package dev.hostops.node.exec.internal;

import dev.hostops.contracts.message.LogChunk;

/**
 * One output stream of one command: bytes read but not yet sent (at most two chunks' worth),
 * the tail for the outcome, and whether its last chunk (eof) was sent. Guarded by the owning
 * {@link CommandOutput}.
 */
final class StreamState {
    final LogChunk.Stream stream;
    final byte[] pending;
    int pendingLength;
    final TailBuffer tail;
    boolean eofSent;

    StreamState(LogChunk.Stream stream, int chunkBytes, int tailBytes) {
        this.stream = stream;
        // Bytes are added at most chunkBytes at a time and full chunks are cut right away, so
        // fewer than chunkBytes remain before each addition.
        this.pending = new byte[2 * chunkBytes];
        this.tail = new TailBuffer(tailBytes);
    }

    /** Drops the first {@code n} pending bytes (they were sent). */
    void consume(int n) {
        System.arraycopy(pending, n, pending, 0, pendingLength - n);
        pendingLength -= n;
    }
}

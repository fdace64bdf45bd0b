package dev.hostops.node.exec.internal;

import dev.hostops.contracts.message.LogChunk;
import java.util.Arrays;

/**
 * One output stream of one command: bytes read but not yet sent (at most two chunks' worth),
 * the tail for the outcome, and whether its last chunk (eof) was sent. Guarded by the owning
 * {@link CommandOutput}.
 *
 * <p>The pending buffer grows as output arrives, up to two chunks: most commands write little or
 * nothing, and two 128 KiB buffers per command, allocated and zeroed whatever the output, were
 * half of what an agent allocated under load (JFR), and its young collections with them.
 */
final class StreamState {
    private static final byte[] NONE = new byte[0];
    private static final int FIRST_BUFFER_BYTES = 1024;

    final LogChunk.Stream stream;
    /** Pending bytes are {@code pending[0, pendingLength)}; the array is replaced as it grows. */
    byte[] pending = NONE;
    int pendingLength;
    final TailBuffer tail;
    boolean eofSent;
    private final int maxPending;

    StreamState(LogChunk.Stream stream, int chunkBytes, int tailBytes) {
        this.stream = stream;
        // Bytes are added at most chunkBytes at a time and full chunks are cut right away, so
        // fewer than chunkBytes remain before each addition.
        this.maxPending = 2 * chunkBytes;
        this.tail = new TailBuffer(tailBytes);
    }

    /** Makes room for {@code n} more pending bytes (at most two chunks are ever pending). */
    void ensureRoom(int n) {
        int needed = pendingLength + n;
        if (needed > pending.length) {
            int grown = Math.max(needed, Math.max(FIRST_BUFFER_BYTES, 2 * pending.length));
            pending = Arrays.copyOf(pending, Math.min(maxPending, grown));
        }
    }

    /** Drops the first {@code n} pending bytes (they were sent). */
    void consume(int n) {
        System.arraycopy(pending, n, pending, 0, pendingLength - n);
        pendingLength -= n;
    }
}

package dev.hostops.node.exec;

import dev.hostops.contracts.message.LogChunk;

/**
 * Receives a command's output as {@link LogChunk}s.
 *
 * <p>Called from the runner's I/O threads, one call at a time per command, in sequence order
 * (seq 0, 1, 2, ... without gaps). Calls for different commands may run at the same time. A slow
 * sink slows down reading of that command's output (the pipe fills and the program waits), which
 * keeps memory bounded. An exception thrown here is logged and the chunk counts as sent: later
 * chunks keep their sequence numbers.
 */
@FunctionalInterface
public interface LogSink {
    void onChunk(LogChunk chunk);
}

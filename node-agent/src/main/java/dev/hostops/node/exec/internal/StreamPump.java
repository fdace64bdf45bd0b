package dev.hostops.node.exec.internal;

import dev.hostops.contracts.message.LogChunk;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one output stream of a process until its end, handing the bytes to the command's output. */
final class StreamPump implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StreamPump.class);

    private final InputStream in;
    private final LogChunk.Stream stream;
    private final CommandOutput output;
    private final int bufferBytes;
    private final Runnable onEnd;

    StreamPump(InputStream in, LogChunk.Stream stream, CommandOutput output, int bufferBytes, Runnable onEnd) {
        this.in = in;
        this.stream = stream;
        this.output = output;
        this.bufferBytes = bufferBytes;
        this.onEnd = onEnd;
    }

    /**
     * Pumps run on the runner's pooled I/O threads; each keeps its read buffer for the next
     * command instead of allocating one per stream (the buffer's bytes are copied out by
     * {@link CommandOutput#append} before the next read).
     */
    private static final ThreadLocal<byte[]> BUFFER = new ThreadLocal<>();

    @Override
    public void run() {
        byte[] buffer = BUFFER.get();
        if (buffer == null || buffer.length != bufferBytes) {
            buffer = new byte[bufferBytes];
            BUFFER.set(buffer);
        }
        try (in) {
            int n;
            // read() returns as soon as some bytes are there, so small writes are not held here;
            // the output decides when they form a chunk.
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    output.append(stream, buffer, n);
                }
            }
        } catch (IOException e) {
            log.debug("Reading {} ended with an error; treating it as the end of the stream", stream.wire(), e);
        } catch (RuntimeException | Error e) {
            log.error("Unexpected failure while reading {}", stream.wire(), e);
        } finally {
            try {
                output.endOfStream(stream);
            } finally {
                onEnd.run();
            }
        }
    }
}

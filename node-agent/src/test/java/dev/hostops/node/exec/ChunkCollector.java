package dev.hostops.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.message.LogChunk;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink for tests: keeps every chunk and notices calls that overlap (they must not). */
public final class ChunkCollector implements LogSink {
    private final List<LogChunk> chunks = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean overlapped;

    @Override
    public void onChunk(LogChunk chunk) {
        if (inFlight.incrementAndGet() > 1) {
            overlapped = true;
        }
        try {
            synchronized (chunks) {
                chunks.add(chunk);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    public List<LogChunk> chunks() {
        synchronized (chunks) {
            return List.copyOf(chunks);
        }
    }

    /** The bytes of one stream, reassembled from the chunks in arrival order. */
    public byte[] bytes(LogChunk.Stream stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (LogChunk c : chunks()) {
            if (c.stream() == stream) {
                out.writeBytes(c.bytes());
            }
        }
        return out.toByteArray();
    }

    public String text(LogChunk.Stream stream) {
        return new String(bytes(stream), StandardCharsets.UTF_8);
    }

    /**
     * Checks the streaming contract: seq 0..n-1 in arrival order, no overlapping calls, exactly one
     * eof chunk per stream that produced output and it is that stream's last, no chunk for a silent
     * stream, and n equals what the outcome says.
     */
    public void assertWellFormed(ExecOutcome outcome, String commandId) {
        List<LogChunk> all = chunks();
        assertThat(overlapped).as("sink calls overlapped").isFalse();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).seq()).as("seq of chunk %d", i).isEqualTo(i);
            assertThat(all.get(i).id()).isEqualTo(commandId);
        }
        assertThat(outcome.logChunks()).isEqualTo(all.size());
        for (LogChunk.Stream s : LogChunk.Stream.values()) {
            List<LogChunk> ofStream = all.stream().filter(c -> c.stream() == s).toList();
            long produced = s == LogChunk.Stream.STDOUT ? outcome.stdoutBytes() : outcome.stderrBytes();
            if (produced == 0) {
                assertThat(ofStream).as("a silent %s sends no chunk", s).isEmpty();
                continue;
            }
            assertThat(ofStream.stream().filter(LogChunk::eof).count()).as("eof chunks of %s", s).isEqualTo(1);
            assertThat(ofStream.get(ofStream.size() - 1).eof()).as("last chunk of %s is eof", s).isTrue();
        }
        assertThat(bytes(LogChunk.Stream.STDOUT).length).isEqualTo(outcome.stdoutBytes());
        assertThat(bytes(LogChunk.Stream.STDERR).length).isEqualTo(outcome.stderrBytes());
    }
}

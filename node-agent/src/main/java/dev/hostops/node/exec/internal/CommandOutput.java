package dev.hostops.node.exec.internal;

import dev.hostops.contracts.message.LogChunk;
import dev.hostops.node.exec.LogSink;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one command's two byte streams into {@link LogChunk}s with one shared sequence.
 *
 * <p>Every method holds this object's lock, so chunks reach the sink one at a time and in
 * sequence order whichever thread (stdout reader, stderr reader, flush tick) sends them. Memory
 * per stream is bounded: at most two chunks of pending bytes plus the tail.
 *
 * <p>Chunking rules: a chunk is cut when {@code chunkBytes} are pending (size flush) or when a
 * flush tick finds pending bytes (time flush). A cut never splits a UTF-8 character: the 1 to 3
 * bytes of an incomplete character wait for the rest. A chunk whose bytes are valid UTF-8 is sent
 * as text, any other as base64. Each stream that produced output ends with exactly one chunk
 * with {@code eof=true}, holding whatever was still pending (possibly nothing); a stream that
 * produced no byte sends no chunk at all. After {@link #detach()} nothing more is
 * sent and later bytes are dropped.
 */
final class CommandOutput {
    private static final Logger log = LoggerFactory.getLogger(CommandOutput.class);

    private final String commandId;
    private final String node;
    private final int chunkBytes;
    private final LogSink sink;
    private final StreamState stdout;
    private final StreamState stderr;
    private final CharsetDecoder strictUtf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private long seq;
    private boolean detached;
    private long droppedBytes;
    /** Read without the lock by the flush tick, to skip commands that have nothing to send. */
    private volatile boolean hasPending;

    CommandOutput(String commandId, String node, int chunkBytes, int tailBytes, LogSink sink) {
        this.commandId = commandId;
        this.node = node;
        this.chunkBytes = chunkBytes;
        this.sink = sink;
        this.stdout = new StreamState(LogChunk.Stream.STDOUT, chunkBytes, tailBytes);
        this.stderr = new StreamState(LogChunk.Stream.STDERR, chunkBytes, tailBytes);
    }

    /** Takes {@code n} bytes the process wrote, sending every full chunk. */
    synchronized void append(LogChunk.Stream stream, byte[] bytes, int n) {
        if (detached) {
            droppedBytes += n;
            return;
        }
        StreamState s = state(stream);
        s.tail.add(bytes, 0, n);
        int copied = 0;
        while (copied < n) {
            // Fewer than chunkBytes are pending here, so a chunk's worth always fits.
            int part = Math.min(n - copied, chunkBytes);
            s.ensureRoom(part);
            System.arraycopy(bytes, copied, s.pending, s.pendingLength, part);
            s.pendingLength += part;
            copied += part;
            while (s.pendingLength >= chunkBytes) {
                send(s, Utf8.safeCut(s.pending, chunkBytes), false);
            }
        }
        hasPending = stdout.pendingLength > 0 || stderr.pendingLength > 0;
    }

    boolean hasPending() {
        return hasPending;
    }

    /** Time flush: sends what is pending on both streams, keeping an incomplete last character. */
    synchronized void flushPending() {
        if (detached) {
            return;
        }
        for (StreamState s : new StreamState[] {stdout, stderr}) {
            if (!s.eofSent && s.pendingLength > 0) {
                int cut = Utf8.safeCut(s.pending, s.pendingLength);
                if (cut > 0) {
                    send(s, cut, false);
                }
            }
        }
        hasPending = stdout.pendingLength > 0 || stderr.pendingLength > 0;
    }

    /** The stream reached its end: sends everything left as its last chunk, marked eof. */
    synchronized void endOfStream(LogChunk.Stream stream) {
        StreamState s = state(stream);
        if (detached || s.eofSent) {
            return;
        }
        s.eofSent = true;
        if (s.tail.total() == 0) {
            return;   // a silent stream sends nothing: a trivial command costs no log messages
        }
        send(s, s.pendingLength, true);
        hasPending = stdout.pendingLength > 0 || stderr.pendingLength > 0;
    }

    /**
     * Ends both streams now (sending what is pending with eof) and drops anything read later.
     * Used when the program has exited but a background process still holds its output open.
     */
    synchronized void detach() {
        endOfStream(LogChunk.Stream.STDOUT);
        endOfStream(LogChunk.Stream.STDERR);
        detached = true;
    }

    synchronized long chunksSent() {
        return seq;
    }

    synchronized long droppedBytes() {
        return droppedBytes;
    }

    /** Byte count, tail and truncation of one stream; call after {@link #detach()} for final values. */
    synchronized StreamSummary summary(LogChunk.Stream stream) {
        StreamState s = state(stream);
        return new StreamSummary(s.tail.total(), s.tail.text(), s.tail.truncated());
    }

    /** What the outcome reports about one stream. */
    record StreamSummary(long bytes, String tail, boolean truncated) {}

    private StreamState state(LogChunk.Stream stream) {
        return stream == LogChunk.Stream.STDOUT ? stdout : stderr;
    }

    private void send(StreamState s, int n, boolean eof) {
        String text = decodeStrict(s.pending, n);
        String data = text != null ? text : Base64.getEncoder().encodeToString(Arrays.copyOf(s.pending, n));
        LogChunk chunk = new LogChunk(commandId, node, seq, s.stream, data, text != null ? null : LogChunk.BASE64, eof);
        s.consume(n);
        seq++; // counted even if the sink fails: the number is spent, later chunks must not reuse it
        try {
            sink.onChunk(chunk);
        } catch (RuntimeException e) {
            log.warn("Log sink failed for command {} chunk {}; continuing with the next chunk", commandId, chunk.seq(), e);
        }
    }

    /** The bytes as a string when they are valid UTF-8, otherwise null. */
    private String decodeStrict(byte[] bytes, int n) {
        try {
            return strictUtf8.decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

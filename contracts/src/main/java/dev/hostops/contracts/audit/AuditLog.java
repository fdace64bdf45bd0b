package dev.hostops.contracts.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Appends hash-chained JSON lines to one file (format in the package documentation). Thread-safe:
 * appends are serialized, so {@code seq} has no gaps and each {@code prev} is the line before.
 * Reopening a file continues its chain from the last line, which must be complete and verify;
 * otherwise {@link #open} refuses with {@link AuditException.Code#DAMAGED_TAIL} rather than append
 * after damage. One process writes a file at a time (an OS file lock says so).
 */
public final class AuditLog implements AuditSink, AutoCloseable {
    private static final Set<String> RESERVED = Set.of("seq", "at", "prev", "event", "hash");
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();
    private static final int MAX_CHECKED_NAMES = 1_000;
    private static final Set<String> CHECKED_EVENTS = ConcurrentHashMap.newKeySet();
    private static final Set<String> CHECKED_FIELDS = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final FsyncPolicy fsync;
    private final Clock clock;
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Used under {@link #appendLock} only. */
    private final MessageDigest digest = AuditLines.sha256();
    private long seq;
    private String prev;
    private boolean closed;
    /** The last line completely written (not necessarily synced). */
    private volatile long written;
    /** Guards {@link #synced} and serializes fsyncs. */
    private final Object syncMonitor = new Object();
    private long synced;
    /** fsyncs done; for tests that check lines shared one. */
    private volatile long syncs;
    /**
     * Serves {@link #appendAsync}; started by its first call. Not under {@link #syncMonitor}, which
     * is held through every fsync: an asynchronous append must not wait for one.
     */
    private volatile BackgroundSync background;
    private final Object backgroundStart = new Object();

    private AuditLog(Path file, FileChannel channel, FileLock lock, FsyncPolicy fsync, Clock clock, long seq, String prev) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.fsync = fsync;
        this.clock = clock;
        this.seq = seq;
        this.written = seq;
        this.synced = seq;
        this.prev = prev;
    }

    /** Opens (or creates) {@code file} with {@link FsyncPolicy#EVERY_LINE} and the system clock. */
    public static AuditLog open(Path file) {
        return open(file, FsyncPolicy.EVERY_LINE, Clock.systemUTC());
    }

    /**
     * Opens (or creates, with its parent directories) {@code file} for appending.
     *
     * @throws AuditException {@code LOCKED} if another process writes it, {@code DAMAGED_TAIL} if its last
     *                        line is cut off or does not verify, {@code IO} if it cannot be read or written
     */
    public static AuditLog open(Path file, FsyncPolicy fsync, Clock clock) {
        Objects.requireNonNull(file, "file must not be null.");
        Objects.requireNonNull(fsync, "fsync must not be null.");
        Objects.requireNonNull(clock, "clock must not be null.");
        FileChannel channel = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel, file);
            long[] seq = new long[1];
            String prev = lastHash(channel, file, seq);
            // Only this writer holds the lock, so writing at the end is appending (READ and APPEND cannot be combined).
            channel.position(channel.size());
            return new AuditLog(file, channel, lock, fsync, clock, seq[0], prev);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new AuditException(AuditException.Code.IO, "cannot open the audit log " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void append(String event, Map<String, ?> fields) {
        long mine = appendLine(event, fields);
        if (fsync == FsyncPolicy.EVERY_LINE) {
            syncThrough(mine);
        }
    }

    /**
     * Appends without waiting for the disk: the line's place in the chain is fixed when this
     * returns, and the future completes once the line is synced (with {@link FsyncPolicy#EVERY_LINE};
     * at once otherwise). One background thread syncs for every line waiting, so many callers
     * share each fsync and none of them blocks.
     */
    @Override
    public CompletableFuture<Void> appendAsync(String event, Map<String, ?> fields) {
        return appendSyncedWithin(event, fields, 0);
    }

    /**
     * Like {@link #appendAsync}, with the sync allowed to wait up to {@code within}: a blocking
     * {@link #append} meanwhile covers the line, and the background sync then has nothing to do.
     */
    @Override
    public CompletableFuture<Void> appendWithin(String event, Map<String, ?> fields, Duration within) {
        Objects.requireNonNull(within, "within must not be null.");
        return appendSyncedWithin(event, fields, within.toNanos());
    }

    private CompletableFuture<Void> appendSyncedWithin(String event, Map<String, ?> fields, long delayNanos) {
        long mine;
        try {
            mine = appendLine(event, fields);
        } catch (AuditException e) {
            return CompletableFuture.failedFuture(e);
        }
        return fsync == FsyncPolicy.EVERY_LINE
                ? backgroundSync().after(mine, delayNanos)
                : CompletableFuture.completedFuture(null);
    }

    private BackgroundSync backgroundSync() {
        BackgroundSync sync = background;
        if (sync != null) {
            return sync;
        }
        synchronized (backgroundStart) {
            if (background == null) {
                background = new BackgroundSync(this::syncThrough, file.getFileName().toString());
            }
            return background;
        }
    }

    /** Writes one line and returns its seq. */
    private long appendLine(String event, Map<String, ?> fields) {
        String body = bodyWithoutSeq(event, fields == null ? Map.of() : fields);
        long mine;
        appendLock.lock();
        try {
            if (closed) {
                throw new AuditException(AuditException.Code.CLOSED, "the audit log " + file + " is closed");
            }
            long next = seq + 1;
            String full = "{\"seq\":" + next + ",\"at\":\"" + clock.instant() + "\",\"prev\":\"" + prev + "\"" + body;
            AuditLines.Sealed sealed = AuditLines.seal(full, digest);
            write(sealed.line());
            seq = next;
            written = next;
            mine = next;
            prev = sealed.hash();
        } finally {
            appendLock.unlock();
        }
        return mine;
    }

    /**
     * Returns once every line up to {@code target} is on the disk. Group commit: appenders do not
     * hold the append lock while the disk syncs; one fsync covers every line written before it
     * started, so callers that arrive during a sync mostly find their line already covered.
     */
    private void syncThrough(long target) {
        synchronized (syncMonitor) {
            if (synced >= target) {
                return;
            }
            long upTo = written;   // every line up to here was completely written before this fsync
            try {
                channel.force(false);
                syncs++;
            } catch (IOException e) {
                throw new AuditException(AuditException.Code.IO, "cannot sync the audit log " + file + ": " + e.getMessage(), e);
            }
            synced = Math.max(synced, upTo);
        }
    }

    /** fsyncs done so far (under the sync monitor; read by tests). */
    long syncs() {
        return syncs;
    }

    /** The {@code seq} of the last line written (0 for an empty file). */
    public long lastSeq() {
        appendLock.lock();
        try {
            return seq;
        } finally {
            appendLock.unlock();
        }
    }

    /** The {@code hash} of the last line written; worth keeping elsewhere to notice lines cut from the end. */
    public String lastHash() {
        appendLock.lock();
        try {
            return prev;
        } finally {
            appendLock.unlock();
        }
    }

    public Path file() {
        return file;
    }

    /** Idempotent. */
    @Override
    public void close() {
        BackgroundSync sync;
        synchronized (backgroundStart) {
            sync = background;
        }
        if (sync != null) {
            sync.close(); // while the file is still open: lines already written are synced, their futures completed
        }
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it anyway
            }
            closeQuietly(channel);
        } finally {
            appendLock.unlock();
        }
    }

    /** {@code ,"event":"...",...fields} — validated and encoded before taking the lock. */
    private static String bodyWithoutSeq(String event, Map<String, ?> fields) {
        if (event == null || !(CHECKED_EVENTS.contains(event) || checkName(event, EVENT_NAME, CHECKED_EVENTS))) {
            throw new AuditException(AuditException.Code.INVALID_EVENT,
                    "audit event name must match " + EVENT_NAME.pattern() + ", got: " + event);
        }
        StringBuilder sb = new StringBuilder(256).append(",\"event\":\"").append(event).append('"');
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            String name = field.getKey();
            if (name == null || RESERVED.contains(name) || !(CHECKED_FIELDS.contains(name) || checkName(name, FIELD_NAME, CHECKED_FIELDS))) {
                throw new AuditException(AuditException.Code.INVALID_EVENT,
                        "audit field name " + name + " is reserved or not of the form " + FIELD_NAME.pattern());
            }
            sb.append(",\"").append(name).append("\":");
            appendValue(sb, name, field.getValue());
        }
        return sb.append('}').toString();
    }

    /**
     * Event and field names are a few constants in practice: each is checked against its pattern
     * once, then found here (bounded, so a caller inventing names cannot grow it without end).
     */
    private static boolean checkName(String name, Pattern pattern, Set<String> checked) {
        if (!pattern.matcher(name).matches()) {
            return false;
        }
        if (checked.size() < MAX_CHECKED_NAMES) {
            checked.add(name);
        }
        return true;
    }

    /**
     * Strings, whole numbers, booleans and null are written here, exactly as Jackson writes them
     * (its own string escaper); anything else (lists, maps, other numbers) through Jackson. One
     * generator per value was most of a line's cost.
     */
    private static void appendValue(StringBuilder sb, String name, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            sb.append('"');
            ESCAPER.quoteAsString(s, sb);
            sb.append('"');
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof Boolean) {
            sb.append(value);
        } else {
            try {
                sb.append(JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new AuditException(AuditException.Code.INVALID_EVENT,
                        "audit field " + name + " cannot be written as JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    private void write(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new AuditException(AuditException.Code.IO, "cannot write the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel channel, Path file) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new AuditException(AuditException.Code.LOCKED,
                    "the audit log " + file + " is already open for writing (by this or another process)");
        }
        return lock;
    }

    /** Reads the last line from the end of the file, checks it and returns its hash (and its seq in {@code seqOut[0]}). */
    private static String lastHash(FileChannel channel, Path file, long[] seqOut) throws IOException {
        long size = channel.size();
        if (size == 0) {
            seqOut[0] = 0;
            return AuditLines.GENESIS;
        }
        if (readByte(channel, size - 1) != '\n') {
            throw damaged(file, "its last line is cut off (no newline at the end)");
        }
        long start = lineStart(channel, size - 1);
        ByteBuffer buf = ByteBuffer.allocate((int) (size - 1 - start));
        channel.read(buf, start);
        String line = new String(buf.array(), StandardCharsets.UTF_8);
        AuditLines.Split split = AuditLines.split(line)
                .filter(s -> s.claimedHash().equals(AuditLines.hash(s.body())))
                .orElseThrow(() -> damaged(file, "its last line does not match its hash"));
        JsonNode seq = JSON.readTree(split.body()).get("seq");
        if (seq == null || !seq.canConvertToLong()) {
            throw damaged(file, "its last line has no seq");
        }
        seqOut[0] = seq.asLong();
        return split.claimedHash();
    }

    /** Where the line that ends at {@code end} (its newline) begins: after the newline before it, or 0. */
    private static long lineStart(FileChannel channel, long end) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        long pos = end;
        while (pos > 0) {
            int n = (int) Math.min(chunk.capacity(), pos);
            chunk.clear().limit(n);
            while (chunk.hasRemaining() && channel.read(chunk, pos - n + chunk.position()) >= 0) {
                // a file channel may return fewer bytes than asked for
            }
            for (int i = n - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return pos - n + i + 1;
                }
            }
            pos -= n;
        }
        return 0;
    }

    private static byte readByte(FileChannel channel, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, position);
        return one.get(0);
    }

    private static AuditException damaged(Path file, String why) {
        return new AuditException(AuditException.Code.DAMAGED_TAIL, "the audit log " + file + " is damaged: " + why
                + "; check it with `hostops audit verify " + file + "`, move it aside and start a new one");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}

package dev.hostops.dispatcher.command;

import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.codec.MessageFormatException;
import dev.hostops.contracts.message.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Execs accepted by the API but not yet acknowledged by the broker, one file each, so that a
 * command accepted while the broker is down is still published after a dispatcher restart.
 *
 * <p>Why a file and not the ledger: the ledger keeps what a command is, not the exact exec that
 * must go out again (its env, security and ask; a republished exec must be byte-for-byte the
 * same command or the node would see a different one). Files are written to a temporary name,
 * forced to disk and renamed, so a crash leaves either the whole file or none.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String SUFFIX = ".exec.json";

    private final Path dir;
    private final MessageCodec codec;

    Outbox(Path dir, MessageCodec codec) {
        this.dir = dir;
        this.codec = codec;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the outbox directory " + dir, e);
        }
    }

    void put(Exec exec) {
        Path target = file(exec.id());
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(codec.encode(exec));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outbox entry for " + exec.id(), e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write the outbox entry for " + exec.id(), ex);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outbox entry for " + exec.id(), e);
        }
    }

    void remove(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            LOG.warn("cannot delete the outbox entry for {}: {}", id, e.toString());
        }
    }

    /** Every entry; unreadable ones are logged and skipped. */
    List<Exec> all() {
        List<Exec> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    out.add(codec.decode(Files.readAllBytes(f), Exec.class));
                } catch (IOException | MessageFormatException e) {
                    LOG.warn("skipping unreadable outbox entry {}: {}", f.getFileName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the outbox " + dir, e);
        }
        return out;
    }

    /** Ids may hold characters a file system dislikes, so the file name is the id in hex. */
    private Path file(String id) {
        return dir.resolve(HexFormat.of().formatHex(id.getBytes(StandardCharsets.UTF_8)) + SUFFIX);
    }
}

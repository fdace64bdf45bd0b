package dev.hostops.dispatcher.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatch plans of unfinished fan-out requests, one file each in {@code <dataDir>/fanout},
 * so that a restarted dispatcher goes on dispatching the invocations still pending. The file holds
 * what cannot be read back from the ledger: the exact template exec, the resolved targets, the
 * limits and the source. Written to a temporary name, forced and renamed; deleted when the request
 * has nothing left to dispatch.
 */
final class FanOutPlans {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutPlans.class);
    private static final String SUFFIX = ".plan.json";

    /**
     * A saved plan.
     *
     * @param nodes    the resolved targets
     * @param selector the selector that chose them, or null when the request listed them
     */
    record Plan(String requestId, String source, List<String> nodes, Selector selector, Limit maxConcurrency, Limit maxErrors,
                Exec template) {}

    private final Path dir;
    private final MessageCodec codec;

    FanOutPlans(Path dir, MessageCodec codec) {
        this.dir = dir;
        this.codec = codec;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the fan-out plan directory " + dir, e);
        }
    }

    void save(Plan p) {
        ObjectNode n = codec.mapper().createObjectNode();
        n.put("requestId", p.requestId());
        n.put("source", p.source());
        n.set("nodes", codec.mapper().valueToTree(p.nodes()));
        if (p.selector() != null) {
            ObjectNode sel = n.putObject("selector");
            sel.set("labels", codec.mapper().valueToTree(p.selector().labels()));
            sel.put("os", p.selector().os());
            sel.put("online", p.selector().onlineOnly());
        }
        n.put("maxConcurrency", p.maxConcurrency().toString());
        n.put("maxErrors", p.maxErrors().toString());
        n.set("template", codec.toTree(p.template()));
        Path target = file(p.requestId());
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(codec.mapper().writeValueAsBytes(n));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the plan of fan-out request " + p.requestId(), e);
        }
    }

    void delete(String requestId) {
        try {
            Files.deleteIfExists(file(requestId));
        } catch (IOException e) {
            LOG.warn("cannot delete the plan of fan-out request {}: {}", requestId, e.toString());
        }
    }

    /** Every saved plan; unreadable ones are logged and skipped. */
    List<Plan> all() {
        List<Plan> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    JsonNode n = codec.mapper().readTree(Files.readAllBytes(f));
                    List<String> nodes = new ArrayList<>();
                    n.path("nodes").forEach(x -> nodes.add(x.asText()));
                    out.add(new Plan(n.path("requestId").asText(), n.path("source").asText(), nodes, selector(n.get("selector")),
                            Limit.parse(n.path("maxConcurrency").asText(), "maxConcurrency"),
                            Limit.parse(n.path("maxErrors").asText(), "maxErrors"),
                            (Exec) codec.decodeTree(n.path("template"))));
                } catch (Exception e) {
                    LOG.warn("skipping unreadable fan-out plan {}: {}", f.getFileName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the fan-out plans in " + dir, e);
        }
        return out;
    }

    /** A plan written before selectors were kept has none: a retry of it is compared by its nodes. */
    private static Selector selector(JsonNode sel) {
        if (sel == null || !sel.isObject()) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        sel.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new Selector(labels, sel.hasNonNull("os") ? sel.get("os").asText() : null, sel.path("online").asBoolean(false));
    }

    private Path file(String requestId) {
        return dir.resolve(HexFormat.of().formatHex(requestId.getBytes(StandardCharsets.UTF_8)) + SUFFIX);
    }
}

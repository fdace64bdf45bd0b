package dev.hostops.contracts.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.contracts.message.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden example files: {@code golden/<type>/<name>.json} are valid messages;
 * {@code golden-invalid/<type>/<name>.json} are invalid ones, each with a sidecar
 * {@code <name>.expect.json} holding the expected {@code code} and {@code field}.
 */
public record Golden(MessageType type, String name, Path file, byte[] bytes, String expectedCode, String expectedField) {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    public static List<Golden> valid() {
        return load("golden", false);
    }

    public static List<Golden> invalid() {
        return load("golden-invalid", true);
    }

    public JsonNode tree() {
        try {
            return PLAIN.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return type.wire() + "/" + name;
    }

    private static List<Golden> load(String dir, boolean withExpectation) {
        URL url = Golden.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException("no test resource directory " + dir);
        }
        try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".expect.json"))
                    .sorted()
                    .map(p -> read(p, withExpectation))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Golden read(Path p, boolean withExpectation) {
        String typeDir = p.getParent().getFileName().toString();
        MessageType type = MessageType.fromWire(typeDir)
                .orElseThrow(() -> new IllegalStateException("golden directory " + typeDir + " is not a message type"));
        String name = p.getFileName().toString().replaceFirst("\\.json$", "");
        try {
            byte[] bytes = Files.readAllBytes(p);
            if (!withExpectation) {
                return new Golden(type, name, p, bytes, null, null);
            }
            Path sidecar = p.resolveSibling(name + ".expect.json");
            if (!Files.exists(sidecar)) {
                throw new IllegalStateException("invalid example " + p + " has no " + sidecar.getFileName());
            }
            JsonNode expect = PLAIN.readTree(sidecar.toFile());
            return new Golden(type, name, p, bytes, expect.path("code").asText(null), expect.path("field").asText(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

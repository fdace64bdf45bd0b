package dev.hostops.contracts.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.hostops.contracts.JsonSchemas;
import dev.hostops.contracts.message.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published JSON Schema files, loaded from the classpath the way a non-Java client would use
 * them: draft 2020-12, {@code $ref}s resolved by their {@code $id}, formats asserted.
 */
public final class Schemas {
    public static final String BASE = JsonSchemas.ID_BASE;
    public static final String RESOURCE_DIR = JsonSchemas.RESOURCE_DIR;

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:" + RESOURCE_DIR)));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {}

    /** The schema for one message type, e.g. {@code exec.schema.json}. */
    public static JsonSchema of(MessageType type) {
        return byName(JsonSchemas.fileName(type));
    }

    /** The schema that accepts any message and picks the type's schema by {@code type}. */
    public static JsonSchema anyMessage() {
        return byName(JsonSchemas.ANY_MESSAGE);
    }

    public static JsonSchema byName(String file) {
        return CACHE.computeIfAbsent(file, f -> FACTORY.getSchema(com.networknt.schema.SchemaLocation.of(BASE + f), CONFIG));
    }

    public static Set<ValidationMessage> validate(MessageType type, JsonNode message) {
        return of(type).validate(message);
    }

    /** The raw schema document, for tests that read its {@code required} and {@code properties}. */
    public static JsonNode document(String file) {
        try {
            return PLAIN.readTree(JsonSchemas.read(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
